import { compareCodePoints } from "../compare-code-points.js";
import type { Problem } from "../problem.js";
import type { DataVersion, DvcOutput } from "./data-version.js";
import type { DvcEntry } from "./dvc-entry.js";
import { dvcRootOf, findDvcRoots } from "./find-dvc-roots.js";
import { interpolateInstancePath } from "./interpolate-instance-path.js";
import { joinDvcPath } from "./join-dvc-path.js";
import { MAX_LISTED_INSTANCES } from "./list-stage-instances.js";
import type { DvcYamlStage } from "./parse-dvc-yaml.js";
import { dvcFileAt, dvcYamlAt, lockAt, parseDvcMetadataNow, type DvcLock, type DvcMetadata, type DvcYaml } from "./parse-dvc-metadata.js";

/** `collectParsedDataVersion` of texts parsed here and now (tests, the CLI's small repos). */
export function collectDataVersion(params: { files: ReadonlyMap<string, string> }): DataVersion {
  return collectParsedDataVersion({ metadata: parseDvcMetadataNow(params.files) });
}

/**
 * The DVC metadata of one version (repository path -> parsed file, see `isDvcMetadataPath` and
 * `parseDvcMetadata`) -> the cached outputs of each DVC root, as `dvc diff` sees them. Pipeline
 * outputs are those dvc.yaml declares (minus `cache: false`), with their hash from dvc.lock, or
 * no hash when the stage never ran; `foreach`/`matrix` instances come from dvc.lock, those that
 * dvc.yaml still generates (see `listStageInstances`). Plus the outs of every `.dvc` file.
 */
export function collectParsedDataVersion(params: { metadata: DvcMetadata }): DataVersion {
  const files = params.metadata;
  const rootList = findDvcRoots(files.keys());
  const roots = new Map<string, Map<string, DvcOutput>>(rootList.map((r) => [r, new Map()]));
  const problems: Problem[] = [];
  const failedSources = new Set<string>();

  const add = (output: DvcOutput): void => {
    const outputs = roots.get(output.root);
    const existing = outputs?.get(output.path);
    if (!outputs) return;
    if (existing) {
      problems.push({ file: output.source, line: output.line, message: `output \`${output.path}\` is also declared in ${existing.source}; the second one is ignored` });
      return;
    }
    outputs.set(output.path, output);
  };
  const collecting: Collecting = { files, rootList, problems, failedSources, add };
  const pipelineDirs = collectDvcFiles(collecting);
  for (const dir of [...pipelineDirs].sort(compareCodePoints)) collectPipeline(collecting, dir);
  return { roots, problems, failedSources };
}

/** What the collection shares: the metadata, the DVC roots, and where outputs and problems go. */
interface Collecting {
  readonly files: DvcMetadata;
  readonly rootList: readonly string[];
  readonly problems: Problem[];
  readonly failedSources: Set<string>;
  add(output: DvcOutput): void;
}

/** Adds the cached outs of every `.dvc` file; returns the folders holding a dvc.yaml or dvc.lock. */
function collectDvcFiles(c: Collecting): Set<string> {
  const pipelineDirs = new Set<string>();
  for (const file of [...c.files.keys()].sort(compareCodePoints)) {
    const name = baseName(file);
    const root = dvcRootOf(file, c.rootList);
    if (root === undefined || file.split("/").includes(".dvc")) continue;
    if (name === "dvc.lock" || name === "dvc.yaml") pipelineDirs.add(dirName(file));
    else if (name.endsWith(".dvc")) {
      const dvcFile = dvcFileAt(c.files, file);
      if (!dvcFile) continue;
      if (!dvcFile.ok) {
        c.problems.push(...dvcFile.error);
        c.failedSources.add(file);
        continue;
      }
      const dir = joinDvcPath(relativeTo(root, dirName(file)), dvcFile.value.wdir ?? ".");
      for (const out of dvcFile.value.outs) if (out.cache) c.add(toOutput({ root, dir, entry: out, path: out.path, source: file, stage: undefined }));
    }
  }
  return pipelineDirs;
}

/** Adds the outputs of one folder's pipeline: dvc.yaml's declared outs with dvc.lock's hashes. */
function collectPipeline(c: Collecting, dir: string): void {
  const lockFile = joinDvcPath(dir, "dvc.lock");
  const yamlFile = joinDvcPath(dir, "dvc.yaml");
  const root = dvcRootOf(lockFile, c.rootList)!;
  const base = relativeTo(root, dir);
  let lock: DvcLock | undefined;
  const parsed = lockAt(c.files, lockFile);
  if (parsed !== undefined) {
    if (!parsed.ok) {
      c.problems.push(...parsed.error);
      c.failedSources.add(lockFile);
      return;
    }
    lock = parsed.value;
  }
  let yaml: DvcYaml | undefined;
  const parsedYaml = dvcYamlAt(c.files, yamlFile);
  if (parsedYaml !== undefined) {
    if (parsedYaml.ok) yaml = parsedYaml.value;
    else c.problems.push(...parsedYaml.error);
  }
  // Outputs are keyed to the file their hash comes from, so a lock that fails at one side
  // takes its outputs out of both sides.
  const source = lock ? lockFile : yamlFile;
  if (!yaml) {
    for (const stage of lock?.stages ?? []) for (const out of stage.outs) c.add(toOutput({ root, dir: base, entry: out, path: out.path, source, stage: stage.name }));
    return;
  }
  addStageOutputs(c, { root, base, source, yaml, lock });
}

/** dvc.yaml's stages: a plain stage's cached outs (hash from its lock entry), a templated one's instances from the lock. */
function addStageOutputs(c: Collecting, p: { root: string; base: string; source: string; yaml: DvcYaml; lock: DvcLock | undefined }): void {
  const { root, source, lock } = p;
  const lockStages = new Map((lock?.stages ?? []).map((s) => [s.name, s]));
  for (const [name, def] of p.yaml.stages) {
    const wdir = joinDvcPath(p.base, def.wdir ?? ".");
    if (def.templated) {
      const declared = declaredInstanceOuts(name, def);
      if (declared) for (const { stage, paths } of declared) addDeclaredOuts(c, { root, wdir, source, stage, paths, locked: lockStages.get(stage) });
      else addLockedInstanceOuts(c, { root, wdir, source, name, def, lock });
      continue;
    }
    addDeclaredOuts(c, { root, wdir, source, stage: name, paths: def.cachedOuts, locked: lockStages.get(name) });
  }
}

/** A stage's declared cached outs, each with its hash from the stage's lock entry (none when it never ran). */
function addDeclaredOuts(c: Collecting, p: { root: string; wdir: string; source: string; stage: string; paths: readonly string[]; locked: DvcLock["stages"][number] | undefined }): void {
  for (const path of p.paths) {
    const entry = p.locked?.outs.find((o) => joinDvcPath(o.path) === joinDvcPath(path));
    c.add(toOutput({ root: p.root, dir: p.wdir, entry, path, source: p.source, stage: p.stage, line: entry?.line }));
  }
}

/**
 * Each instance of a `foreach`/`matrix` stage with its outs interpolated (`shards/${item}.txt`
 * -> `shards/a.txt`), as `dvc diff` sees them: an instance never run has outs without a hash,
 * and a dvc.lock entry whose outs differ (`model@1` was another item) gives no hash either.
 * Null when an instance or a path cannot be known from dvc.yaml alone, or when there would be more
 * than `MAX_LISTED_INSTANCES` outs.
 */
function declaredInstanceOuts(name: string, def: DvcYamlStage): Array<{ stage: string; paths: string[] }> | null {
  if (!def.instances || def.wdir?.includes("${")) return null;
  // A hostile dvc.yaml (100,000 items times 1,000 outs) must not make 10^8 outputs: the lock's own, bounded by its size, count instead.
  if (def.instances.length * def.cachedOuts.length > MAX_LISTED_INSTANCES) return null;
  const out: Array<{ stage: string; paths: string[] }> = [];
  for (const instance of def.instances) {
    const paths: string[] = [];
    for (const template of def.cachedOuts) {
      const path = interpolateInstancePath(template, instance);
      if (path === null) return null;
      paths.push(path);
    }
    out.push({ stage: `${name}@${instance.key}`, paths });
  }
  return out;
}

/**
 * The instances' outs as dvc.lock records them, for a stage whose instances or paths dvc.yaml
 * alone cannot give: only the instances dvc.yaml still generates when their keys are known (a
 * stale entry is left out, as `dvc diff` does), every `name@…` entry otherwise.
 */
function addLockedInstanceOuts(c: Collecting, p: { root: string; wdir: string; source: string; name: string; def: DvcYamlStage; lock: DvcLock | undefined }): void {
  const { root, wdir, source, name, def } = p;
  const keys = def.instances ? new Set(def.instances.map((i) => i.key)) : null;
  for (const stage of p.lock?.stages ?? []) {
    if (!stage.name.startsWith(`${name}@`)) continue;
    if (keys && !keys.has(stage.name.slice(name.length + 1))) continue;
    for (const out of stage.outs) {
      if (!def.uncachedOuts.some((pattern) => matchesTemplate(pattern, out.path))) c.add(toOutput({ root, dir: wdir, entry: out, path: out.path, source, stage: stage.name }));
    }
  }
}

function toOutput(params: { root: string; dir: string; entry: DvcEntry | undefined; path: string; source: string; stage: string | undefined; line?: number | undefined }): DvcOutput {
  const { root, dir, entry, path, source, stage } = params;
  return {
    root,
    path: joinDvcPath(dir, path),
    hash: entry?.hash,
    hashName: entry?.hashName ?? "md5",
    isDir: entry?.isDir ?? false,
    size: entry?.size,
    nfiles: entry?.nfiles,
    source,
    stage,
    line: entry?.line,
  };
}

/**
 * `data/${item}.csv` matches `data/a.csv`; a plain path matches itself. Each `${...}` stands for
 * any text: matched with `indexOf` from left to right (first part at the start, last at the end,
 * the others in order, leftmost), which is exact for such patterns and never backtracks (a
 * regular expression of many `.*?` could run for ages on a pattern from a hostile dvc.yaml).
 */
export function matchesTemplate(pattern: string, path: string): boolean {
  if (!pattern.includes("${")) return joinDvcPath(pattern) === joinDvcPath(path);
  const parts = pattern.split(/\$\{[^}]*\}/);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (path.length < first.length + last.length || !path.startsWith(first) || !path.endsWith(last)) return false;
  let at = first.length;
  const end = path.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = path.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function dirName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function relativeTo(root: string, dir: string): string {
  if (root === "") return dir;
  return dir === root ? "" : dir.slice(root.length + 1);
}
