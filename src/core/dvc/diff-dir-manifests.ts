import type { DirManifest } from "./parse-dir-manifest.js";
import type { RawChange } from "./raw-change.js";

/**
 * File-level changes between two versions of a tracked folder, appended to `out` with paths
 * `<prefix>/<relpath>`. A merge join over the relpath-sorted columns (DVC writes manifests
 * sorted; others are sorted here first): one pass, hashes compared as strings, no map.
 */
export function diffDirManifests(params: { prefix: string; dataset: string; old: DirManifest; new: DirManifest; out: RawChange[] }): void {
  const { prefix, dataset, out } = params;
  const a = params.old;
  const b = params.new;
  const ai = order(a);
  const bi = order(b);
  const n = a.relpaths.length;
  const m = b.relpaths.length;
  const base = prefix === "" ? "" : `${prefix}/`;
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const x = ai ? ai[i]! : i;
    const y = bi ? bi[j]! : j;
    const pa = a.relpaths[x]!;
    const pb = b.relpaths[y]!;
    if (pa === pb) {
      if (a.hashes[x] !== b.hashes[y]) {
        out.push({ kind: "modified", path: base + pa, isDir: false, oldHash: a.hashes[x], newHash: b.hashes[y], oldSize: a.sizes?.[x], newSize: b.sizes?.[y], dataset });
      }
      i++;
      j++;
    } else if (pa < pb) {
      out.push({ kind: "deleted", path: base + pa, isDir: false, oldHash: a.hashes[x], oldSize: a.sizes?.[x], dataset });
      i++;
    } else {
      out.push({ kind: "added", path: base + pb, isDir: false, newHash: b.hashes[y], newSize: b.sizes?.[y], dataset });
      j++;
    }
  }
  for (; i < n; i++) {
    const x = ai ? ai[i]! : i;
    out.push({ kind: "deleted", path: base + a.relpaths[x]!, isDir: false, oldHash: a.hashes[x], oldSize: a.sizes?.[x], dataset });
  }
  for (; j < m; j++) {
    const y = bi ? bi[j]! : j;
    out.push({ kind: "added", path: base + b.relpaths[y]!, isDir: false, newHash: b.hashes[y], newSize: b.sizes?.[y], dataset });
  }
}

/** Every file of one folder version as added (or deleted), for a dataset that appears (or goes). */
export function listDirManifest(params: { prefix: string; dataset: string; manifest: DirManifest; kind: "added" | "deleted"; out: RawChange[] }): void {
  const { prefix, dataset, manifest, kind, out } = params;
  const base = prefix === "" ? "" : `${prefix}/`;
  manifest.relpaths.forEach((relpath, k) => {
    const hash = manifest.hashes[k];
    const size = manifest.sizes?.[k];
    out.push(kind === "added" ? { kind, path: base + relpath, isDir: false, newHash: hash, newSize: size, dataset } : { kind, path: base + relpath, isDir: false, oldHash: hash, oldSize: size, dataset });
  });
}

function order(manifest: DirManifest): number[] | undefined {
  if (manifest.sorted) return undefined;
  const { relpaths } = manifest;
  return relpaths.map((_, k) => k).sort((p, q) => (relpaths[p]! < relpaths[q]! ? -1 : relpaths[p]! > relpaths[q]! ? 1 : 0));
}
