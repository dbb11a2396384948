/**
 * Whether a repository path is one of the files the data diff reads: `dvc.lock`, `dvc.yaml`,
 * `*.dvc`, or a DVC root marker (`.dvc/config`, `.dvc/.gitignore`). Use it to pick the files
 * to fetch at base and head from a tree listing.
 */
export function isDvcMetadataPath(path: string): boolean {
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1);
  const dir = slash < 0 ? "" : path.slice(0, slash);
  if (dir === ".dvc" || dir.endsWith("/.dvc")) return name === "config" || name === ".gitignore";
  if (dir.split("/").includes(".dvc")) return false;
  return name === "dvc.lock" || name === "dvc.yaml" || (name.endsWith(".dvc") && name !== ".dvc");
}
