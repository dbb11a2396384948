import { constants } from "node:fs";
import { lstat, open, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { isInside, splitInsidePath } from "./inside-path.js";

export type InsideRead = { readonly ok: true; readonly data: Buffer } | { readonly ok: false; readonly missing: boolean; readonly why: string };

/**
 * Reads a file a job produced, trusting nothing about it: `rel` must name a path under `root`
 * whose every folder is a real folder (no link on the way), and the file itself must be a
 * regular file, opened without following a link (O_NOFOLLOW, and O_NONBLOCK so a FIFO cannot
 * stall the bot), whose real path is still inside `root`, and not larger than `maxBytes`.
 * Says why not otherwise; `missing` when there is simply no such file.
 */
export async function readInside(root: string, rel: string, maxBytes: number): Promise<InsideRead> {
  const split = splitInsidePath(rel);
  if (!split.ok) return { ok: false, missing: false, why: split.why };
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return { ok: false, missing: true, why: "does not exist" };
  let current = realRoot;
  for (const part of split.parts.slice(0, -1)) {
    current = path.join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (!info) return { ok: false, missing: true, why: "does not exist" };
    if (info.isSymbolicLink()) return { ok: false, missing: false, why: `goes through a link (${path.relative(realRoot, current)})` };
    if (!info.isDirectory()) return { ok: false, missing: true, why: "does not exist" };
  }
  const file = path.join(current, split.parts.at(-1)!);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, missing: true, why: "does not exist" };
    if (code === "ELOOP") return { ok: false, missing: false, why: "is a link" };
    return { ok: false, missing: false, why: `cannot be opened (${code ?? "error"})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, missing: false, why: info.isDirectory() ? "is a folder" : "is not a regular file" };
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => file);
    if (!isInside(realRoot, opened)) return { ok: false, missing: false, why: "is outside the job's folder" };
    if (info.size > maxBytes) return { ok: false, missing: false, why: `is ${info.size} bytes, over the limit of ${maxBytes}` };
    const data = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(data, 0, info.size, 0);
    return { ok: true, data: data.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}
