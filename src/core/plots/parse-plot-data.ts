import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import { yamlToJs } from "../yaml/yaml-to-js.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { measureNesting } from "./measure-nesting.js";
import { parseDelimited } from "./parse-delimited.js";
import { PLOT_LIMITS } from "./plot-limits.js";

/** One data point: field -> scalar. CSV and TSV values stay strings, as DVC leaves them. */
export type Datapoint = Readonly<Record<string, string | number | boolean | null>>;

export interface PlotData {
  readonly datapoints: readonly Datapoint[];
  /** Something was left out (rows over the limit, fields of mixed shapes): said in the report. */
  readonly notes: readonly string[];
}

/**
 * A plot data file (JSON, YAML, CSV or TSV, by extension) -> its data points, read the way DVC
 * reads them: the lists of objects found in the file (at the top, or under keys at any depth),
 * merged row by row. Bounded: bytes, nesting, rows and fields are capped before or while
 * reading; never throws.
 */
export function parsePlotData(params: { file: string; text: string }): Result<PlotData, Problem> {
  const { file, text } = params;
  const lower = file.toLowerCase();
  if (text.length > PLOT_LIMITS.dataFileBytes) {
    return err({ file, message: `is ${text.length.toLocaleString("en-US")} bytes; plot files over ${PLOT_LIMITS.dataFileBytes.toLocaleString("en-US")} bytes are not read` });
  }
  if (lower.endsWith(".csv") || lower.endsWith(".tsv")) return ok(fromTable(file, text, lower.endsWith(".tsv") ? "\t" : ","));
  const yaml = lower.endsWith(".yaml") || lower.endsWith(".yml");
  if (!yaml && !lower.endsWith(".json")) return err({ file, message: "is not a data file DVC plots (JSON, YAML, CSV or TSV)" });
  if (yaml && text.length > PLOT_LIMITS.yamlDataFileBytes) {
    return err({ file, message: `is ${text.length.toLocaleString("en-US")} bytes; YAML plot files over ${PLOT_LIMITS.yamlDataFileBytes.toLocaleString("en-US")} bytes are not read (write big plot data as JSON, CSV or TSV)` });
  }
  const depth = measureNesting(text, yaml ? "yaml" : "json");
  if (depth > PLOT_LIMITS.depth) return err({ file, message: `nests ${depth} levels deep; plot files over ${PLOT_LIMITS.depth} levels are not read` });
  const value = yaml ? loadYaml(file, text) : loadJson(file, text);
  if (!value.ok) return value;
  return ok(findDatapoints(value.value));
}

function loadJson(file: string, text: string): Result<unknown, Problem> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return err({ file, message: `invalid JSON: ${(e as Error).message.slice(0, 200)}` });
  }
}

function loadYaml(file: string, text: string): Result<unknown, Problem> {
  try {
    // The bounded, linear reader (yaml's own duplicate-key check is quadratic: 100,000 keys took minutes).
    const parsed = parseYamlDocument({ file, text });
    if (!parsed.ok) return err(parsed.error[0]!);
    return ok(yamlToJs(parsed.value.doc, { listsOnly: true }));
  } catch (e) {
    // `toJS` throws on an alias bomb or an unresolved alias: a problem, not a crash.
    return err({ file, message: `cannot read YAML: ${(e as Error).message.split("\n")[0]?.slice(0, 200) ?? "unknown error"}` });
  }
}

function fromTable(file: string, text: string, delimiter: "," | "\t"): PlotData {
  const { rows, truncated } = parseDelimited(text, delimiter, PLOT_LIMITS.rowsPerFile + 1);
  const notes: string[] = [];
  const header = (rows[0] ?? []).slice(0, PLOT_LIMITS.fieldsPerRow);
  if ((rows[0]?.length ?? 0) > header.length) notes.push(`${file}: only the first ${PLOT_LIMITS.fieldsPerRow} columns are read`);
  if (truncated) notes.push(`${file}: only the first ${PLOT_LIMITS.rowsPerFile.toLocaleString("en-US")} rows are read`);
  const datapoints: Datapoint[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    const point: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let c = 0; c < header.length; c++) point[header[c]!] = cells[c] ?? "";
    datapoints.push(point);
  }
  return { datapoints, notes };
}

/**
 * DVC's `get_datapoints`: every list in the value (the value itself, or values of objects at any
 * depth) whose items are all objects with the same keys contributes its items, merged by index.
 */
function findDatapoints(value: unknown): PlotData {
  const notes: string[] = [];
  const merged: Array<Record<string, string | number | boolean | null>> = [];
  const stack: unknown[] = [value];
  const lists: unknown[][] = [];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) lists.push(v);
    else if (isObject(v)) {
      const children = Object.values(v).filter((c) => Array.isArray(c) || isObject(c));
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
    }
  }
  for (const list of lists) {
    if (!isDatapointList(list)) continue;
    const rows = Math.min(list.length, PLOT_LIMITS.rowsPerFile);
    if (list.length > rows) notes.push(`only the first ${PLOT_LIMITS.rowsPerFile.toLocaleString("en-US")} rows are read`);
    for (let r = 0; r < rows; r++) {
      // No prototype: a field named `__proto__` is a field like any other.
      const target = merged[r] ?? (merged[r] = Object.create(null) as Record<string, string | number | boolean | null>);
      for (const [key, field] of Object.entries(list[r] as Record<string, unknown>).slice(0, PLOT_LIMITS.fieldsPerRow)) {
        if (field === null || typeof field === "string" || typeof field === "number" || typeof field === "boolean") target[key] = field;
      }
    }
  }
  return { datapoints: merged, notes };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** All items objects with no key the first one lacks (DVC's `_is_datapoints`), checked in one pass. */
function isDatapointList(list: readonly unknown[]): boolean {
  if (list.length === 0 || !isObject(list[0])) return false;
  const keySet = new Set(Object.keys(list[0]));
  for (const item of list) {
    if (!isObject(item)) return false;
    for (const k in item) if (!keySet.has(k)) return false;
  }
  return true;
}
