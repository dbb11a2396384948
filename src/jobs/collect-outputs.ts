import { lstat, readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { readInside } from "../adapters/files/read-inside.js";
import { splitInsidePath } from "../adapters/files/inside-path.js";
import type { OutputLimits } from "../core/output-limits.js";

export interface CollectedOutputs {
  /** Path relative to the root (`/`-separated) -> bytes, in the order found. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** One line per output that was not taken, saying why (for the report and the log). */
  readonly notes: readonly string[];
}

/**
 * Collects what a job produced at the declared paths under `root` (files, or folders ending in
 * `/`), trusting nothing: only regular files inside `root`, never through a link (see
 * `readInside`), within the size and count limits. What is refused gets a note naming it (with
 * `label` turning a path into what the reader knows, e.g. the repository path); a path that
 * simply does not exist is skipped quietly (a run may have no plots).
 */
export async function collectOutputs(params: {
  root: string;
  entries: readonly string[];
  limits: OutputLimits;
  label?: (rel: string) => string;
}): Promise<CollectedOutputs> {
  const { root, limits } = params;
  const label = params.label ?? ((rel: string) => rel);
  const files = new Map<string, Buffer>();
  const notes: string[] = [];
  let total = 0;
  const take = async (rel: string) => {
    if (files.has(rel)) return;
    if (files.size >= limits.maxFiles) return notes.push(`\`${label(rel)}\`: not collected, over the limit of ${limits.maxFiles} files`);
    const read = await readInside(root, rel, limits.perFileBytes);
    if (!read.ok) return read.missing ? undefined : notes.push(`\`${label(rel)}\` ${read.why}: not collected (outputs are read only from regular files inside the job's folder)`);
    if (total + read.data.length > limits.totalBytes) return notes.push(`\`${label(rel)}\`: not collected, over the limit of ${limits.totalBytes} bytes in all`);
    total += read.data.length;
    files.set(rel, read.data);
  };
  for (const entry of params.entries) {
    const split = splitInsidePath(entry);
    if (!split.ok) {
      notes.push(`\`${label(entry)}\` ${split.why}: not collected`);
      continue;
    }
    const rel = split.parts.join("/");
    const folder = await realFolder(root, split.parts);
    if (folder.kind === "link") notes.push(`\`${label(rel)}\` ${folder.last ? "is" : "goes through"} a link: not collected (outputs are read only from regular files inside the job's folder)`);
    else if (folder.kind === "folder") for (const file of await listFiles(folder.path, rel, notes, label)) await take(file);
    else if (folder.kind === "other" && !entry.endsWith("/")) await take(rel);
  }
  return { files, notes };
}

/** What `parts` names under `root`: a real folder (no link anywhere on the way), a link (on the way, or `last`), or something else / nothing. */
async function realFolder(root: string, parts: readonly string[]): Promise<{ kind: "folder"; path: string } | { kind: "link"; last: boolean } | { kind: "other" }> {
  let current = await realpath(root).catch(() => undefined);
  if (!current) return { kind: "other" };
  for (const [i, part] of parts.entries()) {
    current = path.join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (!info) return { kind: "other" };
    if (info.isSymbolicLink()) return { kind: "link", last: i === parts.length - 1 };
    if (!info.isDirectory()) return { kind: "other" };
  }
  return { kind: "folder", path: current };
}

/** Regular files under a folder (links and other things noted, never followed), as paths relative to the root. */
async function listFiles(dir: string, rel: string, notes: string[], label: (rel: string) => string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, prefix: string, depth: number) => {
    if (depth > 32) return notes.push(`\`${label(prefix)}\`: folders nested too deep, not collected`);
    const items = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const item of items.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = `${prefix}/${item.name}`;
      if (item.isDirectory()) await walk(path.join(folder, item.name), child, depth + 1);
      else if (item.isFile()) out.push(child);
      else notes.push(`\`${label(child)}\` is ${item.isSymbolicLink() ? "a link" : "not a regular file"}: not collected (outputs are read only from regular files inside the job's folder)`);
    }
  };
  await walk(dir, rel, 0);
  return out;
}
