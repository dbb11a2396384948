import type { Problem } from "../problem.js";
import type { DataVersion, DvcOutput } from "./data-version.js";
import type { DvcEntry } from "./dvc-entry.js";
import { dvcRootOf, findDvcRoots } from "./find-dvc-roots.js";
import { joinDvcPath } from "./join-dvc-path.js";
import { parseDvcFile } from "./parse-dvc-file.js";
import { parseDvcLock } from "./parse-dvc-lock.js";
import { parseDvcYaml, type DvcYaml } from "./parse-dvc-yaml.js";

/**
 * The files of one version (repository path -> text; only the DVC metadata is needed, see
 * `isDvcMetadataPath`) -> the cached outputs of each DVC root, as `dvc diff` sees them:
 * dvc.lock stage outs and `.dvc` outs, minus `cache: false` outputs and never-hashed ones.
 */
export function collectDataVersion(params: { files: ReadonlyMap<string, string> }): DataVersion {
  const { files } = params;
  const rootList = findDvcRoots(files.keys());
  const roots = new Map<string, Map<string, DvcOutput>>(rootList.map((r) => [r, new Map()]));
  const problems: Problem[] = [];
  const failedSources = new Set<string>();

  const yamls = new Map<string, DvcYaml>();
  for (const [file, text] of files) {
    if (baseName(file) !== "dvc.yaml" || dvcRootOf(file, rootList) === undefined) continue;
    const parsed = parseDvcYaml({ file, text });
    if (parsed.ok) yamls.set(dirName(file), parsed.value);
    else problems.push(...parsed.error);
  }

  const add = (output: DvcOutput): void => {
    const outputs = roots.get(output.root);
    const existing = outputs?.get(output.path);
    if (!outputs) return;
    if (existing) {
      problems.push({
        file: output.source,
        line: output.line,
        message: `output \`${output.path}\` is also declared in ${existing.source}; the second one is ignored`,
      });
      return;
    }
    outputs.set(output.path, output);
  };

  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = baseName(file);
    const root = dvcRootOf(file, rootList);
    if (root === undefined || file.split("/").includes(".dvc")) continue;
    const dir = relativeTo(root, dirName(file));
    if (name === "dvc.lock") {
      const lock = parseDvcLock({ file, text });
      if (!lock.ok) {
        problems.push(...lock.error);
        failedSources.add(file);
        continue;
      }
      const yaml = yamls.get(dirName(file));
      for (const stage of lock.value.stages) {
        const def = yaml?.stages.get(stage.name.split("@")[0] ?? stage.name);
        const wdir = def?.wdir ?? ".";
        for (const out of stage.outs) {
          if (def?.uncachedOuts.some((pattern) => matchesTemplate(pattern, out.path))) continue;
          const output = toOutput({ root, dir: joinDvcPath(dir, wdir), entry: out, source: file, stage: stage.name });
          if (output) add(output);
        }
      }
    } else if (name.endsWith(".dvc")) {
      const dvcFile = parseDvcFile({ file, text });
      if (!dvcFile.ok) {
        problems.push(...dvcFile.error);
        failedSources.add(file);
        continue;
      }
      for (const out of dvcFile.value.outs) {
        const output = toOutput({ root, dir: joinDvcPath(dir, dvcFile.value.wdir ?? "."), entry: out, source: file, stage: undefined });
        if (output) add(output);
      }
    }
  }
  return { roots, problems, failedSources };
}

function toOutput(params: { root: string; dir: string; entry: DvcEntry; source: string; stage: string | undefined }): DvcOutput | undefined {
  const { root, dir, entry, source, stage } = params;
  if (!entry.cache || entry.hash === undefined) return undefined;
  return {
    root,
    path: joinDvcPath(dir, entry.path),
    hash: entry.hash,
    hashName: entry.hashName,
    isDir: entry.isDir,
    size: entry.size,
    nfiles: entry.nfiles,
    source,
    stage,
    line: entry.line,
  };
}

/** `data/${item}.csv` matches `data/a.csv`; a plain path matches itself. */
function matchesTemplate(pattern: string, path: string): boolean {
  const norm = (p: string): string => joinDvcPath(p);
  if (!pattern.includes("${")) return norm(pattern) === norm(path);
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
