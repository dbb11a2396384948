import { compareCodePoints } from "../compare-code-points.js";
import type { DataReport } from "./data-report.js";

type Entry = { path: string; hash?: string | null };
type ModifiedEntry = { path: string; hash?: { old: string | null; new: string | null } };
type RenamedEntry = { path: { old: string; new: string }; hash?: string | null };

/** The shape `dvc diff --json [--show-hash]` prints (`{}` when nothing changed). */
export interface DvcDiffJson {
  added?: Entry[];
  deleted?: Entry[];
  modified?: ModifiedEntry[];
  renamed?: RenamedEntry[];
  "not in cache"?: Entry[];
}

/**
 * One DVC root of a report -> exactly what `dvc diff --json` prints when run in that root between
 * the two revisions. `showHash` adds hashes (`--show-hash`); `withMissing` adds `not in cache`
 * with the datasets whose `.dir` could not be read (DVC prints that key only against the
 * workspace, and for data objects too: ours covers manifests only).
 */
export function toDvcDiffJson(report: DataReport, options: { root?: string; showHash?: boolean; withMissing?: boolean } = {}): DvcDiffJson {
  const root = options.root ?? report.roots[0] ?? "";
  const showHash = options.showHash ?? false;
  const added: Entry[] = [];
  const deleted: Entry[] = [];
  const modified: ModifiedEntry[] = [];
  const renamed: RenamedEntry[] = [];
  for (const c of report.changes) {
    if (c.root !== root) continue;
    if (c.kind === "added") added.push(showHash ? { path: c.path, hash: c.newHash ?? null } : { path: c.path });
    else if (c.kind === "deleted") deleted.push(showHash ? { path: c.path, hash: c.oldHash ?? null } : { path: c.path });
    else if (c.kind === "modified") modified.push(showHash ? { path: c.path, hash: { old: c.oldHash ?? null, new: c.newHash ?? null } } : { path: c.path });
    else renamed.push(showHash ? { path: { old: c.oldPath!, new: c.path }, hash: c.newHash ?? null } : { path: { old: c.oldPath!, new: c.path } });
  }
  const missing: Entry[] = options.withMissing
    ? report.notInCache.filter((m) => m.root === root).map((m) => (showHash ? { path: `${m.path}/`, hash: m.hash } : { path: `${m.path}/` }))
    : [];
  if (added.length + deleted.length + modified.length + renamed.length + missing.length === 0) return {};
  // DVC sorts each list with Python's `sorted`: by code point, not by UTF-16 unit.
  const byPath = (x: Entry | ModifiedEntry, y: Entry | ModifiedEntry): number => compareCodePoints(x.path, y.path);
  renamed.sort((x, y) => compareCodePoints(x.path.old, y.path.old));
  const json: DvcDiffJson = { added: added.sort(byPath), deleted: deleted.sort(byPath), modified: modified.sort(byPath), renamed };
  if (options.withMissing) json["not in cache"] = missing.sort(byPath);
  return json;
}
