import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { parseRepoConfig } from "../../config/parse-repo-config.js";
import { REPO_CONFIG_PATH, type RepoConfig } from "../../config/repo-config-schema.js";
import { parseInline } from "../../core/limits/parse-repository-file.js";
import { DEFAULT_PARSE_LIMITS } from "../../core/limits/parse-limits.js";
import { checkOverrides, type ParamsFileAt } from "../../core/overrides/check-overrides.js";
import type { Override } from "../../core/overrides/parse-override.js";
import type { TypedOverride } from "../../core/overrides/validate-overrides.js";
import { formatProblem } from "../../core/problem.js";
import { err, ok, type Result } from "../../core/result.js";

const run = promisify(execFile);

/** What `mlops-bot train` trains, resolved and checked before anything runs. */
export interface TrainTarget {
  /** The repository's top folder. */
  readonly root: string;
  readonly headSha: string;
  readonly baseRef: string;
  /** The merge-base of the head and `baseRef`. */
  readonly baseSha: string;
  readonly config: RepoConfig;
  readonly overrides: readonly TypedOverride[];
  /** Things worth saying that stop nothing (uncommitted changes). */
  readonly notes: readonly string[];
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run("git", args, { cwd, maxBuffer: 64 << 20 })).stdout.trim();
}

async function commitOf(root: string, ref: string): Promise<string | undefined> {
  return git(root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`).catch(() => undefined);
}

/**
 * The repository around `cwd`, the commits to train and compare, the repo config of the working
 * tree, a DVC project where the config says the pipeline is, and the overrides checked against
 * the params files at the head. Each failure says what was looked for, where, and what to change.
 */
export async function resolveTrainTarget(params: { cwd: string; base: string; head: string; overrides: readonly Override[] }): Promise<Result<TrainTarget, string>> {
  const root = await git(params.cwd, "rev-parse", "--show-toplevel").catch(() => undefined);
  if (!root) return err(`${params.cwd} is not inside a git repository. Run it in the repository of your ML project.`);
  const headSha = await commitOf(root, params.head);
  if (!headSha) {
    if (params.head === "HEAD") return err("this repository has no commit yet; commit your project first.");
    return err(`--head ${JSON.stringify(params.head)} is not a branch, tag or commit of the repository in ${root}.`);
  }
  if (!(await commitOf(root, params.base))) {
    return err(`--base ${JSON.stringify(params.base)} is not a branch, tag or commit of the repository in ${root}. Pass --base with one that exists (git branch -a, git tag).`);
  }
  const baseSha = await git(root, "merge-base", headSha, params.base).catch(() => undefined);
  if (!baseSha) return err(`${params.head} and --base ${JSON.stringify(params.base)} have no commit in common, so there is nothing to compare with.`);
  const notes: string[] = [];
  if (params.head === "HEAD" && (await git(root, "status", "--porcelain", "--untracked-files=no")) !== "") {
    notes.push("you have uncommitted changes; training the committed HEAD only. Commit them to include them.");
  }

  const configText = await readFile(path.join(root, REPO_CONFIG_PATH), "utf8").catch(() => undefined);
  const config = parseRepoConfig(configText);
  if (!config.ok) return err(`${REPO_CONFIG_PATH} is invalid:\n${config.error.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
  const project = await checkPipelineFolder({ root, headSha, config: config.value, hasConfigFile: configText !== undefined });
  if (!project.ok) return project;

  const { pipeline } = config.value;
  const at = headSha.slice(0, 7);
  const files = await Promise.all(pipeline.params.map((file) => paramsFileAt(root, headSha, path.posix.join(pipeline.workdir, file))));
  const limits = DEFAULT_PARSE_LIMITS;
  const overrides = await checkOverrides({ overrides: params.overrides, files, parse: parseInline(limits), at, maxBytes: limits.maxBytes.params });
  if (!overrides.ok) {
    const { headline, details } = overrides.error;
    return err(`${headline.replaceAll("`", "")}${details.map((e) => `\n  - ${e.replaceAll("`", "")}`).join("")}`);
  }
  return ok({ root, headSha, baseRef: params.base, baseSha, config: config.value, overrides: overrides.value, notes });
}

/** A params file at the commit, as `checkOverrides` reads it: its size from git's tree first, its text only when asked. */
async function paramsFileAt(root: string, sha: string, file: string): Promise<ParamsFileAt> {
  const listed = await git(root, "ls-tree", "-l", sha, "--", file).catch(() => "");
  const size = /^\d+ blob [0-9a-f]+\s+(\d+)\t/.exec(listed)?.[1];
  const bytes = size === undefined ? undefined : Number(size);
  const read = () => (bytes === undefined ? Promise.resolve(undefined) : run("git", ["show", `${sha}:${file}`], { cwd: root, maxBuffer: bytes + 1024 }).then((r) => r.stdout));
  return { file, bytes, read };
}

/**
 * The pipeline's folder must be in the commit, and hold `dvc.yaml` when the pipeline is DVC's:
 * otherwise say so before anything runs (not "could not start dvc repro" from the runner),
 * with the config key that points elsewhere and where dvc.yaml files are in this commit.
 */
async function checkPipelineFolder(params: { root: string; headSha: string; config: RepoConfig; hasConfigFile: boolean }): Promise<Result<void, string>> {
  const { root, headSha } = params;
  const { workdir, train } = params.config.pipeline;
  const usesDvc = path.basename(train[0] ?? "") === "dvc";
  const wanted = usesDvc ? path.posix.join(workdir, "dvc.yaml") : workdir;
  if (await git(root, "cat-file", "-e", `${headSha}:${wanted === "." ? "" : wanted}`).then(() => true, () => false)) return ok(undefined);

  const where = `commit ${headSha.slice(0, 7)} of ${root}`;
  const setting = `pipeline.workdir is "${workdir}"${params.hasConfigFile ? ` in ${REPO_CONFIG_PATH}` : ` (the default: there is no ${REPO_CONFIG_PATH})`}`;
  if (!usesDvc) return err(`the pipeline's folder ${workdir}/ is not in ${where} (${setting}). Set pipeline.workdir in ${REPO_CONFIG_PATH} to the folder your training command runs in.`);
  const found = (await git(root, "ls-tree", "-r", "--name-only", headSha)).split("\n").filter((f) => f === "dvc.yaml" || f.endsWith("/dvc.yaml"));
  const hint = found.length
    ? ` This commit has ${found.map((f) => f).join(", ")}: set pipeline.workdir in ${REPO_CONFIG_PATH} to ${found.map((f) => `"${path.posix.dirname(f)}"`).join(" or ")}.`
    : ` Set pipeline.workdir in ${REPO_CONFIG_PATH} to the folder that holds your dvc.yaml (dvc init, then dvc stage add), or pipeline.train to the command that trains your model.`;
  return err(`no DVC project: looked for ${wanted} in ${where} and found none (${setting}).${hint}`);
}
