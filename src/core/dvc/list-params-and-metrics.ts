import { dvcRootOf, findDvcRoots } from "./find-dvc-roots.js";
import { joinDvcPath } from "./join-dvc-path.js";
import { compareCodePoints } from "../compare-code-points.js";
import { dvcYamlAt, type DvcMetadata } from "./parse-dvc-metadata.js";

/** The params and metrics files `dvc params diff` / `dvc metrics diff` look at, repository paths. */
export interface ParamsAndMetrics {
  /** params file -> tracked keys; an empty list means the whole file. */
  readonly params: ReadonlyMap<string, readonly string[]>;
  readonly metrics: readonly string[];
}

/**
 * From the parsed dvc.yaml files of one version (and the list of all its paths): each DVC root's
 * `params.yaml` when it exists (whole), top-level `params:` files (whole), stage params (their
 * keys, unless the file is tracked whole), top-level `metrics:` and stage `metrics:` outputs.
 */
export function listParamsAndMetrics(params: { metadata: DvcMetadata; paths: Iterable<string> }): ParamsAndMetrics {
  const all = new Set(params.paths);
  const roots = findDvcRoots(all);
  const whole = new Set<string>();
  const keys = new Map<string, string[]>();
  const metrics = new Set<string>();
  for (const root of roots) {
    const file = joinDvcPath(root, "params.yaml");
    if (all.has(file)) whole.add(file);
  }
  for (const file of params.metadata.keys()) {
    if (!file.endsWith("dvc.yaml") || (file !== "dvc.yaml" && !file.endsWith("/dvc.yaml")) || dvcRootOf(file, roots) === undefined) continue;
    const parsed = dvcYamlAt(params.metadata, file);
    if (!parsed?.ok) continue;
    const dir = file.slice(0, Math.max(0, file.lastIndexOf("/")));
    for (const p of parsed.value.params) whole.add(joinDvcPath(dir, p));
    for (const m of parsed.value.metrics) metrics.add(joinDvcPath(dir, m));
    for (const stage of parsed.value.stages.values()) {
      const wdir = joinDvcPath(dir, stage.wdir ?? ".");
      for (const m of stage.metrics) metrics.add(joinDvcPath(wdir, m));
      for (const [p, k] of stage.params) {
        const path = joinDvcPath(wdir, p);
        if (k.length === 0) whole.add(path);
        else keys.set(path, [...(keys.get(path) ?? []), ...k]);
      }
    }
  }
  const out = new Map<string, readonly string[]>();
  for (const path of whole) out.set(path, []);
  for (const [path, k] of keys) if (!whole.has(path)) out.set(path, [...new Set(k)]);
  return { params: new Map([...out].sort(([a], [b]) => compareCodePoints(a, b))), metrics: [...metrics].sort(compareCodePoints) };
}
