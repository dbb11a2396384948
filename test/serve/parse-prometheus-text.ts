/** One sample line: `name{labels} value`. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly type: string;
  readonly help: string;
  readonly samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must
 * be a HELP, a TYPE or a sample of a family whose TYPE came first; label values must be quoted
 * and escaped; histograms must have cumulative buckets ending in `le="+Inf"` equal to `_count`.
 * Throws with the line number on the first violation.
 */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((line, index) => {
    const at = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (!m) throw new Error(`${at}: a comment must be "# HELP name text" or "# TYPE name type"`);
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`${at}: bad metric name`);
      const family = families.get(name) ?? { type: "", help: "", samples: [] };
      if (kind === "TYPE") {
        if (!TYPES.has(rest)) throw new Error(`${at}: unknown type ${rest}`);
        if (family.type) throw new Error(`${at}: second TYPE for ${name}`);
        families.set(name, { ...family, type: rest });
      } else {
        families.set(name, { ...family, help: rest });
      }
      return;
    }
    const sample = parseSample(line, at);
    const family = familyOf(families, sample.name);
    if (!family) throw new Error(`${at}: sample of ${sample.name} before its # TYPE`);
    family.samples.push(sample);
  });
  for (const [name, family] of families) if (family.type === "histogram") checkHistogram(name, family);
  return families;
}

function familyOf(families: Map<string, PromFamily>, sampleName: string): PromFamily | undefined {
  const direct = families.get(sampleName);
  if (direct?.type) return direct;
  const m = /^(.*)_(bucket|sum|count)$/.exec(sampleName);
  const base = m ? families.get(m[1]!) : undefined;
  return base?.type === "histogram" || base?.type === "summary" ? base : undefined;
}

function parseSample(line: string, at: string): PromSample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
  if (!m) throw new Error(`${at}: not a sample line`);
  const labels: Record<string, string> = {};
  let rest = m[3] ?? "";
  while (rest.length > 0) {
    const l = /^([^=]+)="((?:[^"\\]|\\.)*)"(,|$)/.exec(rest);
    if (!l || !LABEL_NAME.test(l[1]!)) throw new Error(`${at}: bad label list`);
    if (l[1]! in labels) throw new Error(`${at}: label ${l[1]} twice`);
    labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(l[0].length);
  }
  const raw = m[4]!;
  const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : raw === "NaN" ? NaN : Number(raw);
  if (Number.isNaN(value) && raw !== "NaN") throw new Error(`${at}: bad value ${raw}`);
  return { name: m[1]!, labels, value };
}

function checkHistogram(name: string, family: PromFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(rest);
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name === `${name}_bucket`) {
      if (le === undefined) throw new Error(`${name}: bucket without le`);
      entry.buckets.push([le === "+Inf" ? Infinity : Number(le), s.value]);
    } else if (s.name === `${name}_count`) entry.count = s.value;
  }
  for (const [key, { buckets, count }] of series) {
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]![0] <= buckets[i - 1]![0]) throw new Error(`${name}${key}: bucket bounds not increasing`);
      if (buckets[i]![1] < buckets[i - 1]![1]) throw new Error(`${name}${key}: bucket counts not cumulative`);
    }
    const last = buckets[buckets.length - 1];
    if (!last || last[0] !== Infinity) throw new Error(`${name}${key}: no le="+Inf" bucket`);
    if (last[1] !== count) throw new Error(`${name}${key}: +Inf bucket ${last[1]} != _count ${count}`);
  }
}

/** The value of the one sample of `name` whose labels include `labels` (0 when there is none). */
export function sampleValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return 0;
}
