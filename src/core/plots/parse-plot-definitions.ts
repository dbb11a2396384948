import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import { yamlToJs } from "../yaml/yaml-to-js.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { measureNesting } from "./measure-nesting.js";
import { isPlotTemplate, plotFileKind, type PlotDefinition, type PlotSource, type PlotTemplate } from "./plot-definition.js";
import { PLOT_LIMITS } from "./plot-limits.js";
import { resolvePlotPath } from "./resolve-plot-path.js";

/** A plot the report leaves out, and why (an image, a templated path, a path outside the repository). */
export interface SkippedPlot {
  readonly id: string;
  readonly reason: string;
}

export interface PlotDefinitions {
  readonly definitions: readonly PlotDefinition[];
  readonly skipped: readonly SkippedPlot[];
}

type Props = Readonly<Record<string, unknown>>;

/**
 * dvc.yaml -> its data-series plots: each stage's `plots:` (paths relative to the stage's
 * `wdir`) and the top-level `plots:` (a path, or a name whose `y` maps files to fields), with
 * `x`, `y`, `template`, `title`, `x_label`, `y_label` as DVC reads them. Paths become repository
 * paths; one that leaves the repository, is templated (`${...}`) or is an image is skipped with
 * the reason. Invalid YAML is the only error; never throws.
 */
export function parsePlotDefinitions(params: { file: string; text: string }): Result<PlotDefinitions, Problem[]> {
  const { file, text } = params;
  if (text.length > PLOT_LIMITS.dvcYamlBytes) return err([{ file, message: `is over ${PLOT_LIMITS.dvcYamlBytes.toLocaleString("en-US")} bytes; its plots are not read` }]);
  const depth = measureNesting(text, "yaml");
  if (depth > PLOT_LIMITS.depth) return err([{ file, message: `nests ${depth} levels deep (over ${PLOT_LIMITS.depth}); its plots are not read` }]);
  let root: unknown;
  try {
    // The bounded, linear reader (yaml's own duplicate-key check is quadratic: 100,000 keys took minutes).
    const parsed = parseYamlDocument({ file, text });
    if (!parsed.ok) return err(parsed.error.slice(0, 1));
    root = yamlToJs(parsed.value.doc);
  } catch (e) {
    return err([{ file, message: `cannot read YAML: ${(e as Error).message.split("\n")[0]?.slice(0, 200) ?? "unknown error"}` }]);
  }
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  const out = { definitions: [] as PlotDefinition[], skipped: [] as SkippedPlot[] };
  if (!isRecord(root)) return ok(out);
  if (isRecord(root.stages)) {
    for (const stage of Object.values(root.stages)) {
      if (!isRecord(stage)) continue;
      const body = isRecord(stage.do) ? stage.do : stage;
      const wdir = typeof body.wdir === "string" ? body.wdir : "";
      for (const [path, props] of entries(body.plots)) addFilePlot(out, { dir, wdir, path, props });
    }
  }
  for (const [name, props] of entries(root.plots)) {
    if (isRecord(props.y)) addMultiFilePlot(out, { dir, name, props });
    else addFilePlot(out, { dir, wdir: "", path: name, props });
  }
  if (out.definitions.length > PLOT_LIMITS.definitions) {
    for (const d of out.definitions.splice(PLOT_LIMITS.definitions)) out.skipped.push({ id: d.id, reason: `over ${PLOT_LIMITS.definitions} plots` });
  }
  return ok(out);
}

/** `[path, {path: {props}}]` or (older DVC, top level) `{path: {props}}` -> [path, props]. */
function entries(node: unknown): Array<[string, Props]> {
  const out: Array<[string, Props]> = [];
  const add = (key: unknown, value: unknown) => {
    if (typeof key === "string" || typeof key === "number") out.push([String(key), isRecord(value) ? value : {}]);
  };
  if (Array.isArray(node)) {
    for (const item of node.slice(0, PLOT_LIMITS.definitions * 4)) {
      if (isRecord(item)) for (const [k, v] of Object.entries(item).slice(0, 1)) add(k, v);
      else add(item, undefined);
    }
  } else if (isRecord(node)) for (const [k, v] of Object.entries(node).slice(0, PLOT_LIMITS.definitions * 4)) add(k, v);
  return out;
}

function addFilePlot(out: { definitions: PlotDefinition[]; skipped: SkippedPlot[] }, p: { dir: string; wdir: string; path: string; props: Props }): void {
  const id = p.wdir ? `${p.wdir.replace(/\/+$/, "")}/${p.path}` : p.path;
  const file = checkPath(out, id, p.dir, p.wdir, p.path);
  if (file === undefined) return;
  const x = field(p.props.x);
  const ys = fields(p.props.y);
  const sources: PlotSource[] = (ys.length ? ys : [undefined]).map((y) => ({ file, y, x, xFile: undefined }));
  out.definitions.push(definition(out, id, p.props, sources));
}

/** A top-level plot whose `y` maps files to fields; `x` is one field for all, or per file. */
function addMultiFilePlot(out: { definitions: PlotDefinition[]; skipped: SkippedPlot[] }, p: { dir: string; name: string; props: Props }): void {
  const yMap = p.props.y as Props;
  const xMap = isRecord(p.props.x) ? Object.entries(p.props.x) : undefined;
  const sources: PlotSource[] = [];
  for (const [path, value] of Object.entries(yMap)) {
    const file = checkPath(out, p.name, p.dir, "", path);
    if (file === undefined) return;
    let x: string | undefined = field(p.props.x);
    let xFile: string | undefined;
    if (xMap) {
      const own = xMap.find(([f]) => f === path) ?? (xMap.length === 1 ? xMap[0] : undefined);
      x = own ? field(own[1]) : undefined;
      xFile = own && own[0] !== path ? checkPath(out, p.name, p.dir, "", own[0]) : undefined;
      if (own && own[0] !== path && xFile === undefined) return;
    }
    for (const y of fields(value)) sources.push({ file, y, x, xFile });
  }
  if (sources.length === 0) out.skipped.push({ id: p.name, reason: "its `y` names no field" });
  else out.definitions.push(definition(out, p.name, p.props, sources));
}

function definition(out: { skipped: SkippedPlot[] }, id: string, props: Props, sources: PlotSource[]): PlotDefinition {
  const name = typeof props.template === "string" ? props.template : "linear";
  let template: PlotTemplate = "linear";
  if (isPlotTemplate(name)) template = name;
  else out.skipped.push({ id, reason: `template \`${name.slice(0, PLOT_LIMITS.labelChars)}\` is not one of DVC's built-in templates; drawn as \`linear\`` });
  return { id, template, title: text(props.title), xLabel: text(props.x_label), yLabel: text(props.y_label), sources };
}

/** The repository path of a plot file, or undefined after recording why it is skipped. */
function checkPath(out: { skipped: SkippedPlot[] }, id: string, dir: string, wdir: string, path: string): string | undefined {
  if (path.includes("${") || wdir.includes("${")) {
    out.skipped.push({ id, reason: "its path is templated (`${...}`), which the report does not resolve" });
    return undefined;
  }
  const resolved = resolvePlotPath(dir, wdir, path);
  if (!resolved.ok) {
    out.skipped.push({ id, reason: resolved.error });
    return undefined;
  }
  if (plotFileKind(resolved.value) === "image") {
    out.skipped.push({ id, reason: "an image: not drawn in the report (it is stored with the run's artifacts)" });
    return undefined;
  }
  return resolved.value;
}

function field(v: unknown): string | undefined {
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

function fields(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(field).filter((f): f is string => f !== undefined);
  const one = field(v);
  return one === undefined ? [] : [one];
}

function text(v: unknown): string | undefined {
  return typeof v === "string" || typeof v === "number" ? String(v).slice(0, PLOT_LIMITS.labelChars) : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
