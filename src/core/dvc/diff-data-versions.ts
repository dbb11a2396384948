import { compareCodePoints } from "../compare-code-points.js";
import type { Problem } from "../problem.js";
import type { DataChange, DataReport, DatasetChange, FileCounts, ManifestLookup, NotInCache } from "./data-report.js";
import type { DataVersion, DvcOutput } from "./data-version.js";
import { detectRenames, type RenamedChange } from "./detect-renames.js";
import { diffDirManifests, listDirManifest } from "./diff-dir-manifests.js";
import type { RawChange } from "./raw-change.js";

/**
 * Two versions' outputs + their `.dir` manifests -> the data report, with the semantics of
 * `dvc diff --json`: entries added, deleted, modified, renamed (same hash, new path) for every
 * tracked output and every file inside a tracked folder; renames paired per DVC root. A dataset
 * whose manifest cannot be read is still reported (as a whole) and listed in `notInCache`.
 * Pure: `manifest(root, hash)` answers from what the caller already read.
 */
export function diffDataVersions(params: {
  base: DataVersion;
  head: DataVersion;
  manifest: (root: string, hash: string) => ManifestLookup;
}): DataReport {
  const { base, head, manifest } = params;
  const problems: DataReport["problems"][number][] = [
    ...base.problems.map((problem) => ({ side: "base" as const, problem })),
    ...head.problems.map((problem) => ({ side: "head" as const, problem })),
  ];
  const failed = new Set([...base.failedSources, ...head.failedSources]);
  const roots = [...new Set([...base.roots.keys(), ...head.roots.keys()])].sort(compareCodePoints);
  const datasets: DatasetChange[] = [];
  const changes: DataChange[] = [];
  const notInCache: NotInCache[] = [];
  const seenManifestProblems = new Set<string>();

  for (const root of roots) {
    const old = withoutSources(base.roots.get(root), failed);
    const neu = withoutSources(head.roots.get(root), failed);
    const raw: RawChange[] = [];
    const complete = new Map<string, boolean>();
    const load = (output: DvcOutput, side: "base" | "head"): ManifestLookup => {
      const hash = output.hash ?? "";
      const found = manifest(root, hash);
      if (found.status !== "ok") {
        notInCache.push({ root, path: output.path, hash, side, reason: found.status });
        if (found.status !== "missing" && !seenManifestProblems.has(hash)) {
          seenManifestProblems.add(hash);
          problems.push(...found.problems.map((problem: Problem) => ({ side, problem })));
        }
      }
      return found;
    };

    for (const path of [...new Set([...old.keys(), ...neu.keys()])].sort(compareCodePoints)) {
      const a = old.get(path);
      const b = neu.get(path);
      if (a && b && a.hash === b.hash && a.isDir === b.isDir) continue;
      complete.set(path, diffOutput({ path, a, b, load, raw }));
    }

    const paired = detectRenames(raw);
    const rootChanges = paired.map((c) => toDataChange(root, c));
    changes.push(...rootChanges);
    datasets.push(...toDatasets({ root, changes: paired, old, neu, complete }));
  }

  changes.sort((x, y) => compare(x.root, y.root) || compare(x.oldPath ?? x.path, y.oldPath ?? y.path));
  datasets.sort((x, y) => compare(x.root, y.root) || compare(x.path, y.path));
  return { roots, datasets, changes, notInCache, problems, totals: totalsOf(datasets) };
}

/**
 * One output that differs between the sides -> its raw changes (the output itself, and each file
 * of a folder through its manifests). Returns whether the change is complete: false when a
 * folder's manifest could not be read, so its files are unknown.
 */
function diffOutput(p: { path: string; a: DvcOutput | undefined; b: DvcOutput | undefined; load: (output: DvcOutput, side: "base" | "head") => ManifestLookup; raw: RawChange[] }): boolean {
  const { path, a, b, load, raw } = p;
  if (!a && b) {
    raw.push({ kind: "added", path, isDir: b.isDir, newHash: b.hash, newSize: b.size, dataset: path });
    if (!b.isDir) return true;
    const m = load(b, "head");
    if (m.status === "ok") listDirManifest({ prefix: path, dataset: path, manifest: m.manifest, kind: "added", out: raw });
    return m.status === "ok";
  }
  if (a && !b) {
    raw.push({ kind: "deleted", path, isDir: a.isDir, oldHash: a.hash, oldSize: a.size, dataset: path });
    if (!a.isDir) return true;
    const m = load(a, "base");
    if (m.status === "ok") listDirManifest({ prefix: path, dataset: path, manifest: m.manifest, kind: "deleted", out: raw });
    return m.status === "ok";
  }
  if (!a || !b) return true;
  // Printed at the old entry's path (`dvc diff` does): with a slash only if it was a folder.
  raw.push({ kind: "modified", path, isDir: a.isDir || b.isDir, oldIsDir: a.isDir, oldHash: a.hash, newHash: b.hash, oldSize: a.size, newSize: b.size, dataset: path });
  const ma = a.isDir ? load(a, "base") : undefined;
  const mb = b.isDir ? load(b, "head") : undefined;
  if ((ma && ma.status !== "ok") || (mb && mb.status !== "ok")) return false;
  if (ma?.status === "ok" && mb?.status === "ok") diffDirManifests({ prefix: path, dataset: path, old: ma.manifest, new: mb.manifest, out: raw });
  else if (mb?.status === "ok") listDirManifest({ prefix: path, dataset: path, manifest: mb.manifest, kind: "added", out: raw });
  else if (ma?.status === "ok") listDirManifest({ prefix: path, dataset: path, manifest: ma.manifest, kind: "deleted", out: raw });
  return true;
}

/** The report's totals: datasets, files by kind, and the size change of those whose sizes are known. */
function totalsOf(datasets: readonly DatasetChange[]): DataReport["totals"] {
  const files = { added: 0, deleted: 0, modified: 0, renamed: 0 };
  let sizeDelta = 0;
  let sizeUnknown = 0;
  for (const d of datasets) {
    files.added += d.files.added;
    files.deleted += d.files.deleted;
    files.modified += d.files.modified;
    files.renamed += d.files.renamed;
    if (d.sizeDelta === undefined) sizeUnknown++;
    else sizeDelta += d.sizeDelta;
  }
  return { datasets: datasets.length, files, sizeDelta, sizeUnknown };
}

function toDataChange(root: string, c: RawChange | RenamedChange): DataChange {
  const slash = (c.kind === "modified" ? c.oldIsDir : c.isDir) ? "/" : "";
  if (c.kind === "renamed") {
    return { root, kind: c.kind, path: c.path + slash, oldPath: c.oldPath + slash, isDir: c.isDir, oldHash: c.hash, newHash: c.hash, sizeDelta: delta(c.oldSize, c.newSize) ?? 0, dataset: c.dataset };
  }
  const sizeDelta = c.kind === "added" ? c.newSize : c.kind === "deleted" && c.oldSize !== undefined ? -c.oldSize : delta(c.oldSize, c.newSize);
  return { root, kind: c.kind, path: c.path + slash, isDir: c.isDir, oldHash: c.oldHash, newHash: c.newHash, sizeDelta, dataset: c.dataset };
}

function toDatasets(params: {
  root: string;
  changes: readonly (RawChange | RenamedChange)[];
  old: ReadonlyMap<string, DvcOutput>;
  neu: ReadonlyMap<string, DvcOutput>;
  complete: ReadonlyMap<string, boolean>;
}): DatasetChange[] {
  const { root, changes, old, neu, complete } = params;
  const counts = new Map<string, { added: number; deleted: number; modified: number; renamed: number }>();
  const renamedFrom = new Map<string, string>();
  for (const c of changes) {
    if (c.path === c.dataset && (c.kind !== "renamed" || c.oldPath === c.oldDataset)) {
      if (c.kind === "renamed") renamedFrom.set(c.path, c.oldPath);
      if (c.isDir) continue;
    }
    let count = counts.get(c.dataset);
    if (!count) counts.set(c.dataset, (count = { added: 0, deleted: 0, modified: 0, renamed: 0 }));
    count[c.kind]++;
  }
  const renamedAway = new Set(renamedFrom.values());
  const result: DatasetChange[] = [];
  for (const [path, whole] of complete) {
    if (renamedAway.has(path)) continue;
    const a = old.get(renamedFrom.get(path) ?? path);
    const b = neu.get(path);
    const files: FileCounts = counts.get(path) ?? { added: 0, deleted: 0, modified: 0, renamed: 0 };
    const kind = renamedFrom.has(path) ? "renamed" : !a ? "added" : !b ? "deleted" : "modified";
    const sizeDelta = kind === "added" ? b?.size : kind === "deleted" ? (a?.size === undefined ? undefined : -a.size) : delta(a?.size, b?.size);
    const out = b ?? a!;
    result.push({
      root,
      kind,
      path,
      oldPath: renamedFrom.get(path),
      isDir: out.isDir,
      source: out.source,
      stage: out.stage,
      oldHash: a?.hash,
      newHash: b?.hash,
      oldSize: a?.size,
      newSize: b?.size,
      sizeDelta,
      oldFiles: a?.nfiles,
      newFiles: b?.nfiles,
      files,
      complete: whole,
    });
  }
  return result;
}

function withoutSources(outputs: ReadonlyMap<string, DvcOutput> | undefined, failed: ReadonlySet<string>): Map<string, DvcOutput> {
  const kept = new Map<string, DvcOutput>();
  for (const [path, output] of outputs ?? []) if (!failed.has(output.source)) kept.set(path, output);
  return kept;
}

function delta(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : b - a;
}

/** By code point, as DVC (Python) orders paths. */
function compare(a: string, b: string): number {
  return compareCodePoints(a, b);
}
