import path from "node:path";

/**
 * A path from a job (a declared output, an object key, an archive entry) as the components of a
 * relative path under a folder, or why it is refused: absolute, `..`, empty, a NUL byte.
 */
export function splitInsidePath(rel: string): { ok: true; parts: string[] } | { ok: false; why: string } {
  if (rel.includes("\0")) return { ok: false, why: "has a NUL byte" };
  if (path.posix.isAbsolute(rel) || /^[a-zA-Z]:[\\/]/.test(rel)) return { ok: false, why: "is an absolute path" };
  const parts = rel.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { ok: false, why: 'goes up with ".."' };
  if (parts.length === 0) return { ok: false, why: "names no file" };
  return { ok: true, parts };
}

/** Whether `child` (resolved) is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  const r = path.resolve(root);
  const c = path.resolve(child);
  return c === r || c.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
}
