import { createHash } from "node:crypto";
import path from "node:path";
import { GitSourceProvider } from "../../adapters/source/git-source-provider.js";
import { FsArtifactStore } from "../../adapters/stores/fs-artifact-store.js";
import { parseInline } from "../../core/limits/parse-repository-file.js";
import { err, ok, type Result } from "../../core/result.js";
import { buildJobEnv } from "../../jobs/build-job-env.js";
import type { TrainingResult } from "../../core/train/training-result.js";
import { runTraining } from "../../jobs/run-training.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { createCliRunner } from "../create-cli-runner.js";
import { userCacheDir } from "../user-cache-dir.js";
import type { TrainTarget } from "./resolve-train-target.js";

export interface LocalTraining {
  readonly result: TrainingResult;
  /** The run's folder: log.txt and results/. */
  readonly runDir: string;
  /** The run was stopped by `signal` (Ctrl-C): its worktree is gone, its log stays. */
  readonly interrupted: boolean;
}

/**
 * Where the CLI keeps its mirrors, worktrees and runs: MLOPS_DATA_DIR (relative to the caller's
 * folder), else the user cache folder. Never inside the repository, where it would show up as
 * untracked files and be copied into every checkout.
 */
export function cliDataDir(params: { cwd: string; env: NodeJS.ProcessEnv }): string {
  const chosen = params.env.MLOPS_DATA_DIR;
  return chosen ? path.resolve(params.cwd, chosen) : userCacheDir({ env: params.env });
}

/**
 * One training run of `target` on this machine, as the bot's worker runs one: a worktree of the
 * head commit (the user's files are not touched), the pipeline with the allow-listed part of the
 * environment (in the bubblewrap sandbox with `sandbox`), results in the run folder. The worktree
 * is removed whatever happens, also when `signal` stops the run.
 */
export async function trainLocally(params: {
  target: TrainTarget;
  cwd: string;
  env: NodeJS.ProcessEnv;
  sandbox: boolean;
  signal?: AbortSignal | undefined;
  onOutput?: ((text: string) => void) | undefined;
  onStart?: ((what: string) => void) | undefined;
  /** `--open`: where the job page wants the run's files, and its view of the artifact store. */
  page?: { readonly prefix: string; wrap(artifacts: ArtifactStore): ArtifactStore } | undefined;
}): Promise<Result<LocalTraining, string>> {
  const { target, env } = params;
  const { pipeline } = target.config;
  const dataDir = cliDataDir(params);
  const stored = new FsArtifactStore(path.join(dataDir, "artifacts"));
  const artifacts = params.page ? params.page.wrap(stored) : stored;
  const sources = new GitSourceProvider({ root: path.join(dataDir, "sources"), cloneUrl: target.root });
  const jobEnv = buildJobEnv({ botEnv: env, jobPath: env.PATH ?? "", allowed: pipeline.env, requested: pipeline.env, home: env.HOME }).env;
  const made = createCliRunner({ sandbox: params.sandbox, env, jobPath: jobEnv.PATH ?? "", protect: [dataDir, target.root] });
  if ("error" in made) return err(`--sandbox: ${made.error}`);

  const short = target.headSha.slice(0, 7);
  const prefix = params.page?.prefix ?? `runs/local-${new Date().toISOString().replace(/[:.]/g, "-")}-${short}`;
  params.onStart?.(`Training ${short} against ${target.baseRef} (${target.baseSha.slice(0, 7)}): ${pipeline.train.join(" ")} in ${pipeline.workdir}/${params.sandbox ? " (in the sandbox)" : ""}`);
  // One mirror per repository folder: two clones that share a name keep apart.
  const repo = { owner: "local", name: `${path.basename(target.root)}-${createHash("sha256").update(target.root).digest("hex").slice(0, 8)}` };
  const source = await sources.checkout({ repo, sha: target.headSha, alsoFetch: [target.baseSha] });
  const signal = params.signal ?? new AbortController().signal;
  let result: TrainingResult;
  try {
    result = await runTraining({
      source,
      base: { ref: target.baseRef, sha: target.baseSha },
      pipeline,
      network: target.config.sandbox.network,
      overrides: target.overrides,
      runner: made.runner,
      env: jobEnv,
      artifacts,
      prefix,
      signal,
      onOutput: params.onOutput,
      parse: parseInline(),
    });
  } finally {
    await source.release();
  }
  return ok({ result, runDir: path.join(stored.location, ...prefix.split("/")), interrupted: signal.aborted });
}
