import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { git, initRepo } from "./git-repo.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** PATH with the project venv first, where `dvc` and `python` for the example pipeline live. */
export const JOB_PATH = `${path.join(ROOT, ".venv/bin")}:${process.env.PATH ?? ""}`;

/** Copies the committed files of the example project (`ml/`) into `dir` (a git work tree). */
export function copyExampleProject(dir: string): void {
  const files = execFileSync("git", ["ls-files", "ml"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of files) cpSync(path.join(ROOT, file), path.join(dir, file), { recursive: true });
}

/**
 * A throwaway "GitHub" repository: `main` holds the example project with its committed metrics
 * (the base); a PR head commit changes `params` (dotted key -> new YAML scalar text) and is
 * reachable only through `refs/pull/<pr>/head`, like on GitHub.
 */
export function makeExampleOrigin(params: { dir: string; pr?: number; change?: Record<string, string>; extraHeadFiles?: Record<string, string> }) {
  const origin = initRepo(params.dir);
  copyExampleProject(origin);
  git(origin, "add", "-A");
  git(origin, "commit", "-q", "-m", "Add the example project");
  const base = git(origin, "rev-parse", "HEAD");
  git(origin, "checkout", "-q", "-b", "feature");
  const paramsFile = path.join(origin, "ml/params.yaml");
  let text = readFileSync(paramsFile, "utf8");
  for (const [key, value] of Object.entries(params.change ?? {})) {
    const leaf = key.split(".").pop()!;
    text = text.replace(new RegExp(`^(\\s*${leaf}:\\s*)[^\\s#]+`, "m"), `$1${value}`);
  }
  writeFileSync(paramsFile, text);
  for (const [file, content] of Object.entries(params.extraHeadFiles ?? {})) writeFileSync(path.join(origin, file), content);
  git(origin, "add", "-A");
  git(origin, "commit", "-q", "--allow-empty", "-m", "Change params");
  const head = git(origin, "rev-parse", "HEAD");
  git(origin, "checkout", "-q", "main");
  git(origin, "update-ref", `refs/pull/${params.pr ?? 1}/head`, head);
  git(origin, "branch", "-q", "-D", "feature");
  return { origin, base, head };
}
