import { compareCodePoints } from "../compare-code-points.js";
import { diffMetrics } from "../metrics/diff-metrics.js";
import { diffParams } from "../params/diff-params.js";
import type { ParamsFile } from "../params/params-file.js";
import type { ValueChange } from "../params/value-change.js";
import type { Problem } from "../problem.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { tooLarge as tooLargeProblem } from "../limits/check-file-size.js";
import { DEFAULT_PARSE_LIMITS, type FileKind, type ParseLimits } from "../limits/parse-limits.js";
import { parseInline, type ParseFile } from "../limits/parse-repository-file.js";
import { buildParsedDataReport } from "./build-data-report.js";
import { createManifestReader } from "./create-manifest-reader.js";
import type { DataReport } from "./data-report.js";
import { findDvcRoots } from "./find-dvc-roots.js";
import { isDvcMetadataPath } from "./is-dvc-metadata-path.js";
import { listParamsAndMetrics, type ParamsAndMetrics } from "./list-params-and-metrics.js";
import { dvcMetadataKind, parseDvcMetadata } from "./parse-dvc-metadata.js";

/** The files of one version: every path, and the text of some of them on demand (one batch per call). */
export interface VersionFiles {
  readonly paths: readonly string[];
  /** Sizes in bytes, when known before reading: a file over its kind's cap is then never read. */
  readonly sizes?: ReadonlyMap<string, number>;
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
 * Every file from the versions is parsed through `parse` (the bot's parse workers: a file that
 * breaks a limit costs its worker, and becomes a problem naming it). Bad inputs become
 * problems; everything else is still reported.
 */
export async function buildDataCheck(params: { base: VersionFiles; head: VersionFiles; stores: ManifestStores; parse?: ParseFile; limits?: ParseLimits }): Promise<DataCheck> {
  const { base, head } = params;
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  const parse = params.parse ?? parseInline(limits);
  const metaKind = (path: string) => {
    const kind = dvcMetadataKind(path);
    return kind === "marker" ? (path.endsWith("/config") || path === ".dvc/config" ? "dvc-config" : undefined) : kind;
  };
  const [baseMeta, headMeta] = await Promise.all([
    readWithin({ files: base, paths: base.paths.filter(isDvcMetadataPath), kindOf: metaKind, limits }),
    readWithin({ files: head, paths: head.paths.filter(isDvcMetadataPath), kindOf: metaKind, limits }),
  ]);
  const roots = findDvcRoots([...base.paths, ...head.paths]);
  const found = await params.stores({ roots, base: baseMeta.texts, head: headMeta.texts });
  const [baseParsed, headParsed] = await Promise.all([parseDvcMetadata(baseMeta.texts, parse, baseMeta.tooLarge), parseDvcMetadata(headMeta.texts, parse, headMeta.tooLarge)]);
  const data = await buildParsedDataReport({
    base: baseParsed,
    head: headParsed,
    readManifest: createManifestReader({ stores: (root) => found.stores.get(root) ?? [] }),
    parse,
  });

  const targets = mergeTargets(listParamsAndMetrics({ metadata: baseParsed, paths: base.paths }), listParamsAndMetrics({ metadata: headParsed, paths: head.paths }));
  const [baseValues, headValues] = await Promise.all([readValues(base, targets, parse, limits), readValues(head, targets, parse, limits)]);
  // A file that cannot be parsed on one side is left out of both, as a broken dvc.lock is: its
  // keys would otherwise all show as added or deleted.
  for (const problem of [...baseValues.problems, ...headValues.problems]) {
    for (const values of [baseValues, headValues]) {
      values.params.delete(problem.file);
      values.metrics.delete(problem.file);
    }
  }
  const broken = (side: "base" | "head", meta: ReadonlyMap<string, unknown>, values: readonly Problem[]): string[] => {
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
    broken: { base: broken("base", baseParsed, baseValues.problems), head: broken("head", headParsed, headValues.problems) },
  };
}

function mergeTargets(a: ParamsAndMetrics, b: ParamsAndMetrics): ParamsAndMetrics {
  const params = new Map<string, readonly string[]>();
  for (const [file, keys] of [...a.params, ...b.params]) {
    const before = params.get(file);
    params.set(file, before === undefined ? keys : before.length === 0 || keys.length === 0 ? [] : [...new Set([...before, ...keys])]);
  }
  return { params, metrics: [...new Set([...a.metrics, ...b.metrics])].sort(compareCodePoints) };
}

async function readValues(
  files: VersionFiles,
  targets: ParamsAndMetrics,
  parse: ParseFile,
  limits: ParseLimits,
): Promise<{ params: Map<string, ParamsFile>; metrics: Map<string, ParamsFile>; problems: Problem[] }> {
  const metrics = new Set(targets.metrics);
  const paths = [...targets.params.keys(), ...targets.metrics];
  const { texts, tooLarge } = await readWithin({ files, paths, kindOf: (p) => (metrics.has(p) ? "metrics" : "params"), limits });
  const problems: Problem[] = [...tooLarge.values()];
  const parseAll = async (paths: Iterable<string>, kind: "params" | "metrics"): Promise<Map<string, ParamsFile>> => {
    const out = new Map<string, ParamsFile>();
    const outcomes = await Promise.all([...paths].filter((file) => texts.has(file)).map(async (file) => [file, await parse({ kind, file, text: texts.get(file)! })] as const));
    for (const [file, parsed] of outcomes) {
      if (parsed.ok) out.set(file, parsed.value);
      else problems.push(...parsed.error);
    }
    return out;
  };
  const [paramsFiles, metricsFiles] = await Promise.all([parseAll(targets.params.keys(), "params"), parseAll(targets.metrics, "metrics")]);
  return { params: paramsFiles, metrics: metricsFiles, problems };
}

/**
 * Reads `paths` of a version, except those whose known size is over their kind's cap: those are
 * never read (a 1 GB blob stays in git), each gets a problem naming the file and the cap.
 */
async function readWithin(params: {
  files: VersionFiles;
  paths: readonly string[];
  kindOf: (path: string) => FileKind | undefined;
  limits: ParseLimits;
}): Promise<{ texts: Map<string, string>; tooLarge: Map<string, Problem> }> {
  const { files, limits } = params;
  const tooLarge = new Map<string, Problem>();
  const wanted = params.paths.filter((file) => {
    const kind = params.kindOf(file);
    const size = files.sizes?.get(file);
    if (kind === undefined || size === undefined || size <= limits.maxBytes[kind]) return true;
    tooLarge.set(file, tooLargeProblem({ kind, file, cap: limits.maxBytes[kind], bytes: size }));
    return false;
  });
  return { texts: await files.read(wanted), tooLarge };
}
