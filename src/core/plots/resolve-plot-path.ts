import { err, ok, type Result } from "../result.js";

/**
 * `dir` (dvc.yaml's folder) + `wdir` + a plot path -> a repository path, or why not: absolute
 * paths, URLs, backslashes, control characters and `..` that leave the repository are refused
 * (a PR's dvc.yaml must not make the bot read anything outside its checkout).
 */
export function resolvePlotPath(dir: string, wdir: string, path: string): Result<string, string> {
  for (const part of [wdir, path]) {
    if (part.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(part)) return err("its path is absolute or a URL; plots must be files in the repository");
    // eslint-disable-next-line no-control-regex
    if (/[\\\u0000-\u001f\u007f]/.test(part)) return err("its path holds a backslash or a control character");
  }
  const out: string[] = [];
  for (const seg of `${dir}/${wdir}/${path}`.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length === 0) return err("its path leaves the repository (`..`)");
      out.pop();
    } else out.push(seg);
  }
  if (out.length === 0) return err("its path is empty");
  return ok(out.join("/"));
}
