import { diffMetrics } from "../metrics/diff-metrics.js";
import { diffParams } from "../params/diff-params.js";
import type { ParamsFile } from "../params/params-file.js";
import { parseParamsFile } from "../params/parse-params-file.js";
import type { ValueChange } from "../params/value-change.js";
import type { Problem } from "../problem.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { buildDataReport } from "./build-data-report.js";
import { createManifestReader } from "./create-manifest-reader.js";
import type { DataReport } from "./data-report.js";
import { findDvcRoots } from "./find-dvc-roots.js";
import { isDvcMetadataPath } from "./is-dvc-metadata-path.js";
import { listParamsAndMetrics, type ParamsAndMetrics } from "./list-params-and-metrics.js";

/** The files of one version: every path, and the text of some of them on demand (one batch per call). */
export interface VersionFiles {
  readonly paths: readonly string[];
  read(paths: Iterable<string>): Promise<Map<string, string>>;
}

/** Where a problem was found: a version's files, or the setup (DVC config, stores). */
export interface CheckProblem {
  readonly side: "base" | "head" | "setup";
  readonly problem: Problem;
}

/**
 * The DVC stores (cache, remotes) to read `.dir` manifests from, per DVC root, and the problems
 * met choosing them (a bad `.dvc/config`, an unsupported remote), per root. A root's problems are
 * reported only when one of its manifests could not be read: they explain why.
 */
export type ManifestStores = (versions: {
  readonly roots: readonly string[];
  /** DVC metadata files (`isDvcMetadataPath`) of each version, `.dvc/config` included. */
  readonly base: ReadonlyMap<string, string>;
  readonly head: ReadonlyMap<string, string>;
}) => Promise<{ stores: ReadonlyMap<string, readonly ArtifactStore[]>; problems: readonly { readonly root: string; readonly problem: Problem }[] }>;

/** What a pull request changes in DVC data, params and metrics: the data check's value. */
export interface DataCheck {
  /** DVC roots of either version; empty when nothing is DVC-tracked. */
  readonly roots: readonly string[];
  readonly data: DataReport;
  readonly params: readonly ValueChange[];
  readonly metrics: readonly ValueChange[];
  /** Problems outside the data report: stores, params and metrics files. */
  readonly problems: readonly CheckProblem[];
  /** Repository files of each version that could not be parsed (dvc.lock, *.dvc, params...), sorted. */
  readonly broken: { readonly base: readonly string[]; readonly head: readonly string[] };
}

/**
 * The data check of two versions, shared by `mlops-bot diff` and the bot's diff job: the DVC
 * metadata of both versions (one batch read each), the `.dir` manifests of changed folders from
 * `stores`, the params and metrics files `dvc params diff` / `dvc metrics diff` would look at.
 * Bad inputs become problems; everything else is still reported.
 */
export async function buildDataCheck(params: { base: VersionFiles; head: VersionFiles; stores: ManifestStores }): Promise<DataCheck> {
  const { base, head } = params;
  const [baseMeta, headMeta] = await Promise.all([base.read(base.paths.filter(isDvcMetadataPath)), head.read(head.paths.filter(isDvcMetadataPath))]);
  const roots = findDvcRoots([...base.paths, ...head.paths]);
  const found = await params.stores({ roots, base: baseMeta, head: headMeta });
  const data = await buildDataReport({
    base: baseMeta,
    head: headMeta,
    readManifest: createManifestReader({ stores: (root) => found.stores.get(root) ?? [] }),
  });

  const targets = mergeTargets(listParamsAndMetrics({ files: baseMeta, paths: base.paths }), listParamsAndMetrics({ files: headMeta, paths: head.paths }));
  const [baseValues, headValues] = await Promise.all([readValues(base, targets), readValues(head, targets)]);
  // A file that cannot be parsed on one side is left out of both, as a broken dvc.lock is: its
  // keys would otherwise all show as added or deleted.
  for (const problem of [...baseValues.problems, ...headValues.problems]) {
    for (const values of [baseValues, headValues]) {
      values.params.delete(problem.file);
      values.metrics.delete(problem.file);
    }
  }
  const broken = (side: "base" | "head", meta: ReadonlyMap<string, string>, values: readonly Problem[]): string[] => {
    const files = data.problems.filter((p) => p.side === side && meta.has(p.problem.file)).map((p) => p.problem.file);
    return [...new Set([...files, ...values.map((p) => p.file)])].sort();
  };
  return {
    roots,
    data,
    params: diffParams({ base: baseValues.params, head: headValues.params, keys: targets.params }),
    metrics: diffMetrics({ base: baseValues.metrics, head: headValues.metrics }),
    problems: [
      ...found.problems.filter((p) => data.notInCache.some((m) => m.root === p.root)).map(({ problem }) => ({ side: "setup" as const, problem })),
      ...baseValues.problems.map((problem) => ({ side: "base" as const, problem })),
      ...headValues.problems.map((problem) => ({ side: "head" as const, problem })),
    ],
    broken: { base: broken("base", baseMeta, baseValues.problems), head: broken("head", headMeta, headValues.problems) },
  };
}

function mergeTargets(a: ParamsAndMetrics, b: ParamsAndMetrics): ParamsAndMetrics {
  const params = new Map<string, readonly string[]>();
  for (const [file, keys] of [...a.params, ...b.params]) {
    const before = params.get(file);
    params.set(file, before === undefined ? keys : before.length === 0 || keys.length === 0 ? [] : [...new Set([...before, ...keys])]);
  }
  return { params, metrics: [...new Set([...a.metrics, ...b.metrics])].sort() };
}

async function readValues(files: VersionFiles, targets: ParamsAndMetrics): Promise<{ params: Map<string, ParamsFile>; metrics: Map<string, ParamsFile>; problems: Problem[] }> {
  const texts = await files.read([...targets.params.keys(), ...targets.metrics]);
  const problems: Problem[] = [];
  const parse = (paths: Iterable<string>): Map<string, ParamsFile> => {
    const out = new Map<string, ParamsFile>();
    for (const file of paths) {
      const text = texts.get(file);
      if (text === undefined) continue;
      const parsed = parseParamsFile({ file, text });
      if (parsed.ok) out.set(file, parsed.value);
      else problems.push(...parsed.error);
    }
    return out;
  };
  return { params: parse(targets.params.keys()), metrics: parse(targets.metrics), problems };
}
