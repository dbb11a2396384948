import { existsSync } from "node:fs";
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
  MLOPS_DOCKER_HOST: z.string().regex(/^(unix:\/\/)?\/.+/, "must be a unix socket path, like unix:///var/run/docker.sock").optional(),
  MLOPS_DOCKER_CPUS: z.coerce.number({ message: "must be a number of cores, like 2" }).positive("must be more than 0").default(2),
  MLOPS_DOCKER_MEMORY_MB: z.coerce.number({ message: "must be a number of megabytes, like 4096" }).int().min(64, "must be at least 64").default(4096),
  MLOPS_DOCKER_NETWORK: z.string().min(1).default("bridge"),
  MLOPS_REGISTRY_AUTH: z.enum(["none", "basic", "google"], { message: 'must be "none", "basic" or "google"' }).default("none"),
  MLOPS_REGISTRY_USERNAME: z.string().optional(),
  MLOPS_REGISTRY_PASSWORD: z.string().optional(),
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
  /** The Docker engine for /build and `runner: docker`; undefined when there is none. */
  readonly docker: { readonly socketPath: string; readonly cpus: number; readonly memoryBytes: number; readonly network: string } | undefined;
  /** How pushes authenticate: basic credentials, or Google Application Default Credentials. */
  readonly registryAuth: { readonly kind: "none" } | { readonly kind: "basic"; readonly username: string; readonly password: string } | { readonly kind: "google" };
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
        message: /PASSWORD|SECRET|TOKEN|KEY/.test(String(issue.path[0])) ? issue.message : `${issue.message} (got "${String(env[String(issue.path[0])])}")`,
      })),
    );
  }
  const c = parsed.data;
  if (c.MLOPS_REGISTRY_AUTH === "basic" && (!c.MLOPS_REGISTRY_USERNAME || !c.MLOPS_REGISTRY_PASSWORD)) {
    throw new ConfigError([
      { file: "environment variable MLOPS_REGISTRY_AUTH", message: 'is "basic", so MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD must be set too' },
    ]);
  }
  const dockerSocket = c.MLOPS_DOCKER_HOST?.replace(/^unix:\/\//, "") ?? (existsSync("/var/run/docker.sock") ? "/var/run/docker.sock" : undefined);
  return {
    dataDir: path.resolve(cwd, c.MLOPS_DATA_DIR),
    workerConcurrency: c.MLOPS_WORKER_CONCURRENCY,
    publicUrl: c.MLOPS_PUBLIC_URL?.replace(/\/+$/, ""),
    cloneUrl: c.MLOPS_CLONE_URL,
    jobPath: c.MLOPS_JOB_PATH ?? env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    jobEnvAllowed: c.MLOPS_JOB_ENV ? c.MLOPS_JOB_ENV.split(",").map((s) => s.trim()) : [],
    docker: dockerSocket
      ? { socketPath: dockerSocket, cpus: c.MLOPS_DOCKER_CPUS, memoryBytes: c.MLOPS_DOCKER_MEMORY_MB * 1024 * 1024, network: c.MLOPS_DOCKER_NETWORK }
      : undefined,
    registryAuth:
      c.MLOPS_REGISTRY_AUTH === "basic"
        ? { kind: "basic", username: c.MLOPS_REGISTRY_USERNAME!, password: c.MLOPS_REGISTRY_PASSWORD! }
        : c.MLOPS_REGISTRY_AUTH === "google"
          ? { kind: "google" }
          : { kind: "none" },
  };
}
