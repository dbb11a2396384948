/**
 * Joins `/`-separated path parts and normalises `.` and `..` (`a/./b/../c` -> `a/c`), the way
 * DVC turns an entry's `path` into a key relative to its repository root. Leading `..` that
 * leave the root are kept; an absolute or URL path (external output) is returned as is.
 */
export function joinDvcPath(...parts: readonly string[]): string {
  const last = parts[parts.length - 1] ?? "";
  if (last.startsWith("/") || /^[a-z][a-z0-9+.-]*:\/\//i.test(last)) return last;
  const out: string[] = [];
  for (const part of parts) {
    for (const seg of part.replaceAll("\\", "/").split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else out.push(seg);
    }
  }
  return out.join("/");
}
