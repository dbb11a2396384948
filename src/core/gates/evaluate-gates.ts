import type { Gate } from "../../config/repo-config-schema.js";
import { isPyNumber, toJsNumber } from "../params/py-number.js";
import type { ValueChange } from "../params/value-change.js";

export interface GateResult {
  /** The gate's metric as configured (`accuracy`, or `metrics.json:accuracy`). */
  readonly metric: string;
  readonly passed: boolean;
  /** What was checked, in words: `accuracy 0.912 ≥ min 0.85`. */
  readonly detail: string;
}

/**
 * Checks each configured gate against the head metrics (and the base, for drops and rises). A
 * gate whose metric is missing at head fails: a run that stopped producing a gated metric is not
 * a pass. A drop/rise gate without a base value passes and says why.
 */
export function evaluateGates(params: { gates: Readonly<Record<string, Gate>>; metrics: readonly ValueChange[]; precision?: number }): GateResult[] {
  const fmt = (n: number) => String(Number(n.toFixed(params.precision ?? 5)));
  return Object.entries(params.gates).map(([metric, gate]) => {
    const change = findMetric(params.metrics, metric);
    const head = isPyNumber(change?.new) ? toJsNumber(change.new) : undefined;
    const base = isPyNumber(change?.old) ? toJsNumber(change.old) : undefined;
    if (head === undefined) return { metric, passed: false, detail: `${metric} was not produced by this run` };
    const failures: string[] = [];
    const checks: string[] = [];
    const check = (ok: boolean, pass: string, fail: string) => (ok ? checks.push(pass) : failures.push(fail));
    if (gate.min !== undefined) check(head >= gate.min, `${fmt(head)} ≥ min ${fmt(gate.min)}`, `${fmt(head)} < min ${fmt(gate.min)}`);
    if (gate.max !== undefined) check(head <= gate.max, `${fmt(head)} ≤ max ${fmt(gate.max)}`, `${fmt(head)} > max ${fmt(gate.max)}`);
    for (const [kind, limit] of [
      ["drop", gate.max_drop],
      ["rise", gate.max_rise],
    ] as const) {
      if (limit === undefined) continue;
      if (base === undefined) {
        checks.push(`no base value to measure a ${kind} against`);
        continue;
      }
      const moved = kind === "drop" ? base - head : head - base;
      // Compare at display precision so 0.01 vs 0.010000000000000009 does not fail a gate.
      const ok = Number(moved.toFixed(12)) <= limit;
      check(ok, `${kind} ${fmt(Math.max(moved, 0))} ≤ ${fmt(limit)}`, `${kind} ${fmt(moved)} > max_${kind} ${fmt(limit)} (${fmt(base)} → ${fmt(head)})`);
    }
    const passed = failures.length === 0;
    return { metric, passed, detail: `${metric} ${passed ? checks.join(", ") : failures.join(", ")}` };
  });
}

/** `path:key` names one file's metric; a bare key matches the first file that has it. */
function findMetric(metrics: readonly ValueChange[], name: string): ValueChange | undefined {
  const colon = name.lastIndexOf(":");
  if (colon > 0) {
    const [path, key] = [name.slice(0, colon), name.slice(colon + 1)];
    return metrics.find((m) => m.key === key && (m.path === path || m.path.endsWith(`/${path}`)));
  }
  return metrics.find((m) => m.key === name);
}
