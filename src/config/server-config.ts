import path from "node:path";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";

/** The bot's own settings, from the environment (Probot reads its own APP_ID, PRIVATE_KEY, ...). */
const serverConfigSchema = z.object({
  MLOPS_DATA_DIR: z.string().min(1).default("./.mlops-bot"),
  MLOPS_WORKER_CONCURRENCY: z.coerce
    .number({ message: "must be a whole number of jobs, like 2" })
    .int("must be a whole number of jobs, like 2")
    .min(1, "must be at least 1")
    .max(64, "must be at most 64")
    .default(1),
  MLOPS_PUBLIC_URL: z.url({ message: "must be an absolute URL, like https://bot.example.com" }).optional(),
  MLOPS_CLONE_URL: z
    .string()
    .regex(/\{owner\}.*\{repo\}/, "must contain {owner} and {repo}, like https://github.com/{owner}/{repo}.git")
    .default("https://github.com/{owner}/{repo}.git"),
  MLOPS_JOB_PATH: z.string().min(1).optional(),
  MLOPS_JOB_ENV: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*(\s*,\s*[A-Z_][A-Z0-9_]*)*$/, "must be a comma-separated list of variable names, like MLFLOW_TRACKING_URI,HF_HOME")
    .optional(),
});

export interface ServerConfig {
  /** Absolute folder for the job store, artifacts, clones and worktrees. */
  readonly dataDir: string;
  readonly workerConcurrency: number;
  readonly publicUrl: string | undefined;
  /** Template of the git URL the bot fetches sources from. */
  readonly cloneUrl: string;
  /** PATH for jobs (where `dvc` and `python` are found); defaults to the bot's own PATH. */
  readonly jobPath: string;
  /** Variables of the bot's environment that repositories may pass to jobs (`pipeline.env`). */
  readonly jobEnvAllowed: readonly string[];
}

/** Reads and validates the environment; a bad value throws a `ConfigError` naming the variable. */
export function loadServerConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ServerConfig {
  const blankToUndefined = Object.fromEntries(
    Object.keys(serverConfigSchema.shape).map((k) => [k, env[k]?.trim() === "" ? undefined : env[k]]),
  );
  const parsed = serverConfigSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        file: `environment variable ${String(issue.path[0])}`,
        message: `${issue.message} (got "${String(env[String(issue.path[0])])}")`,
      })),
    );
  }
  const c = parsed.data;
  return {
    dataDir: path.resolve(cwd, c.MLOPS_DATA_DIR),
    workerConcurrency: c.MLOPS_WORKER_CONCURRENCY,
    publicUrl: c.MLOPS_PUBLIC_URL?.replace(/\/+$/, ""),
    cloneUrl: c.MLOPS_CLONE_URL,
    jobPath: c.MLOPS_JOB_PATH ?? env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    jobEnvAllowed: c.MLOPS_JOB_ENV ? c.MLOPS_JOB_ENV.split(",").map((s) => s.trim()) : [],
  };
}
