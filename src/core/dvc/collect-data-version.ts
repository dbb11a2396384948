import type { Problem } from "../problem.js";
import type { DataVersion, DvcOutput } from "./data-version.js";
import type { DvcEntry } from "./dvc-entry.js";
import { dvcRootOf, findDvcRoots } from "./find-dvc-roots.js";
import { joinDvcPath } from "./join-dvc-path.js";
import { parseDvcFile } from "./parse-dvc-file.js";
import { parseDvcLock, type DvcLock } from "./parse-dvc-lock.js";
import { parseDvcYaml, type DvcYaml } from "./parse-dvc-yaml.js";

/**
 * The files of one version (repository path -> text; only the DVC metadata is needed, see
 * `isDvcMetadataPath`) -> the cached outputs of each DVC root, as `dvc diff` sees them. Pipeline
 * outputs are those dvc.yaml declares (minus `cache: false`), with their hash from dvc.lock, or
 * no hash when the stage never ran; `foreach`/`matrix` instances come from dvc.lock. Plus the
 * outs of every `.dvc` file.
 */
export function collectDataVersion(params: { files: ReadonlyMap<string, string> }): DataVersion {
  const { files } = params;
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

  const pipelineDirs = new Set<string>();
  for (const file of [...files.keys()].sort()) {
    const name = baseName(file);
    const root = dvcRootOf(file, rootList);
    if (root === undefined || file.split("/").includes(".dvc")) continue;
    if (name === "dvc.lock" || name === "dvc.yaml") pipelineDirs.add(dirName(file));
    else if (name.endsWith(".dvc")) {
      const dvcFile = parseDvcFile({ file, text: files.get(file)! });
      if (!dvcFile.ok) {
        problems.push(...dvcFile.error);
        failedSources.add(file);
        continue;
      }
      const dir = joinDvcPath(relativeTo(root, dirName(file)), dvcFile.value.wdir ?? ".");
      for (const out of dvcFile.value.outs) if (out.cache) add(toOutput({ root, dir, entry: out, path: out.path, source: file, stage: undefined }));
    }
  }

  for (const dir of [...pipelineDirs].sort()) {
    const lockFile = joinDvcPath(dir, "dvc.lock");
    const yamlFile = joinDvcPath(dir, "dvc.yaml");
    const root = dvcRootOf(lockFile, rootList)!;
    const base = relativeTo(root, dir);
    let lock: DvcLock | undefined;
    const lockText = files.get(lockFile);
    if (lockText !== undefined) {
      const parsed = parseDvcLock({ file: lockFile, text: lockText });
      if (!parsed.ok) {
        problems.push(...parsed.error);
        failedSources.add(lockFile);
        continue;
      }
      lock = parsed.value;
    }
    let yaml: DvcYaml | undefined;
    const yamlText = files.get(yamlFile);
    if (yamlText !== undefined) {
      const parsed = parseDvcYaml({ file: yamlFile, text: yamlText });
      if (parsed.ok) yaml = parsed.value;
      else problems.push(...parsed.error);
    }
    // Outputs are keyed to the file their hash comes from, so a lock that fails at one side
    // takes its outputs out of both sides.
    const source = lock ? lockFile : yamlFile;
    const lockStages = new Map((lock?.stages ?? []).map((s) => [s.name, s]));
    if (!yaml) {
      for (const stage of lock?.stages ?? []) for (const out of stage.outs) add(toOutput({ root, dir: base, entry: out, path: out.path, source, stage: stage.name }));
      continue;
    }
    for (const [name, def] of yaml.stages) {
      const wdir = joinDvcPath(base, def.wdir ?? ".");
      if (def.templated) {
        for (const stage of lock?.stages ?? []) {
          if (!stage.name.startsWith(`${name}@`)) continue;
          for (const out of stage.outs) {
            if (!def.uncachedOuts.some((pattern) => matchesTemplate(pattern, out.path))) add(toOutput({ root, dir: wdir, entry: out, path: out.path, source, stage: stage.name }));
          }
        }
        continue;
      }
      const locked = lockStages.get(name);
      for (const path of def.cachedOuts) {
        const entry = locked?.outs.find((o) => joinDvcPath(o.path) === joinDvcPath(path));
        add(toOutput({ root, dir: wdir, entry, path, source, stage: name, line: entry?.line }));
      }
    }
  }
  return { roots, problems, failedSources };
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

/** `data/${item}.csv` matches `data/a.csv`; a plain path matches itself. */
function matchesTemplate(pattern: string, path: string): boolean {
  if (!pattern.includes("${")) return joinDvcPath(pattern) === joinDvcPath(path);
  const source = pattern
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*?");
  return new RegExp(`^${source}$`).test(path);
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
