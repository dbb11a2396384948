/**
 * DVC roots (folders with a `.dvc/` folder: `dvc init`, or `dvc init --subdir` as in `ml/`) among
 * repository paths, sorted; `""` is the repository root. A root is recognised by the files git
 * keeps of it: `.dvc/config` or `.dvc/.gitignore`.
 */
export function findDvcRoots(paths: Iterable<string>): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    const m = /^(?:(.*)\/)?\.dvc\/(?:config|\.gitignore)$/.exec(path);
    if (m) roots.add(m[1] ?? "");
  }
  return [...roots].sort();
}

/** The innermost root that holds `path`, or undefined. */
export function dvcRootOf(path: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const root of roots) {
    if ((root === "" || path.startsWith(`${root}/`)) && (best === undefined || root.length > best.length)) best = root;
  }
  return best;
}
