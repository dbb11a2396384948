import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { loadCostConfig, type CostConfig } from "./cost-config.js";
import { loadMlflowConfig, type MlflowConfig } from "./mlflow-config.js";
import { loadWebConfig, type WebConfig } from "./web-config.js";
import { loadCacheConfig, type CacheConfig } from "./cache-config.js";
import { loadDeployConfig, type DeployConfig } from "./deploy-config.js";
import { DEFAULT_PARSE_LIMITS, FILE_KINDS, type FileKind, type ParseLimits } from "../core/limits/parse-limits.js";
import { formatGcsUrl } from "../core/parse-gcs-url.js";
import { redactPostgresUrl } from "../core/parse-postgres-url.js";
import { parseStorageUrl, type ArtifactLocation, type StorageScheme } from "../core/storage/parse-storage-url.js";

/**
 * A store location in one of the `accepted` schemes (the table in `core/storage`), parsed into
 * its location; anything else is an issue naming the accepted forms, then `hint`.
 */
const storageUrl = <S extends StorageScheme>(accepted: readonly S[], hint?: string) =>
  z.string().transform((value, ctx) => {
    const parsed = parseStorageUrl(value, accepted);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: hint ? `${parsed.error} (${hint})` : parsed.error });
    return z.NEVER;
  });

const BYTE_CAPS = new RegExp(`^\\s*(${FILE_KINDS.join("|")})\\s*=\\s*\\d+\\s*(KiB|MiB)?\\s*(,\\s*(${FILE_KINDS.join("|")})\\s*=\\s*\\d+\\s*(KiB|MiB)?\\s*)*$`);

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
    .regex(/\{owner\}.*\{repo\}/, "must contain {owner} and {repo}, like https://git-mirror.internal/{owner}/{repo}.git")
    .optional(),
  MLOPS_JOB_PATH: z.string().min(1).optional(),
  MLOPS_JOB_ENV: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*(\s*,\s*[A-Z_][A-Z0-9_]*)*$/, "must be a comma-separated list of variable names, like MLFLOW_TRACKING_URI,HF_HOME")
    .optional(),
  MLOPS_ALLOW_UNSANDBOXED: z
    .enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  MLOPS_SANDBOX_UID: z.coerce
    .number({ message: "must be a user id, like 65534" })
    .int("must be a whole number")
    .min(1, "must not be 0: the sandbox never runs as root")
    .max(4294967294, "must be a user id")
    .default(65534),
  MLOPS_DOCKER_HOST: z.string().regex(/^(unix:\/\/)?\/.+/, "must be a unix socket path, like unix:///var/run/docker.sock").optional(),
  MLOPS_DOCKER_CPUS: z.coerce.number({ message: "must be a number of cores, like 2" }).positive("must be more than 0").default(2),
  MLOPS_DOCKER_MEMORY_MB: z.coerce.number({ message: "must be a number of megabytes, like 4096" }).int().min(64, "must be at least 64").default(4096),
  MLOPS_DOCKER_NETWORK: z.string().min(1).default("bridge"),
  MLOPS_REGISTRY_AUTH: z.enum(["none", "basic", "google"], { message: 'must be "none", "basic" or "google"' }).default("none"),
  MLOPS_REGISTRY_USERNAME: z.string().optional(),
  MLOPS_REGISTRY_PASSWORD: z.string().optional(),
  MLOPS_JOB_STORE: storageUrl(["sqlite", "postgres", "gs"]).prefault("sqlite"),
  MLOPS_CLOUD_SQL_INSTANCE: z
    .string()
    .regex(/^[a-z0-9.:-]+:[a-z0-9-]+:[a-z0-9-]+$/, "must be a Cloud SQL instance connection name, like my-project:europe-west1:mlops")
    .optional(),
  MLOPS_CLOUD_SQL_IP_TYPE: z.enum(["PUBLIC", "PRIVATE", "PSC"], { message: 'must be "PUBLIC", "PRIVATE" or "PSC"' }).default("PUBLIC"),
  MLOPS_ARTIFACTS: storageUrl(["path", "file", "gs"]).optional(),
  MLOPS_CLOUD_RUN_JOB: z
    .string()
    .regex(/^projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/]+$/, "must be a Cloud Run job name, like projects/my-project/locations/europe-west1/jobs/mlops-bot-training")
    .optional(),
  MLOPS_CLOUD_RUN_DVC_CACHE: storageUrl(["gs"], "it is where Cloud Run jobs' DVC run-cache layers live, like gs://my-project-mlops-bot-dvc/mlops-bot-cache").optional(),
  MLOPS_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (a random secret the Prometheus scraper sends as a bearer token)").optional(),
  MLOPS_PARSE_WORKERS: z.coerce.number({ message: "must be a whole number of threads, like 2" }).int("must be a whole number of threads, like 2").min(1, "must be at least 1").max(32, "must be at most 32").default(2),
  MLOPS_PARSE_TIMEOUT_MS: z.coerce.number({ message: "must be a number of milliseconds, like 10000" }).int().min(100, "must be at least 100").default(10_000),
  MLOPS_PARSE_MEMORY_MB: z.coerce.number({ message: "must be a number of megabytes, like 256" }).int().min(32, "must be at least 32").default(512),
  MLOPS_PARSE_BACKLOG_LINES: z.coerce.number({ message: "must be a whole number of lines, like 2500" }).int("must be a whole number of lines, like 2500").min(1, "must be at least 1").max(100_000, "must be at most 100000").optional(),
  MLOPS_PARSE_MAX_BYTES: z
    .string()
    .regex(BYTE_CAPS, `must be a comma-separated list of kind=size, like dir-manifest=512MiB,params=2MiB (kinds: ${FILE_KINDS.join(", ")}; sizes in bytes, KiB or MiB)`)
    .optional(),
  MLOPS_GCS_ENDPOINT: z.url({ message: "must be the URL of a Cloud Storage emulator, like http://127.0.0.1:9023 (leave it unset for Google Cloud)" }).optional(),
});

export interface ServerConfig {
  /** Absolute folder for the job store, artifacts, clones and worktrees. */
  readonly dataDir: string;
  readonly workerConcurrency: number;
  readonly publicUrl: string | undefined;
  /**
   * Template of the git URL the bot fetches sources from (`MLOPS_CLONE_URL`: a mirror, a local
   * path); unset, each repository's `clone_url` as GitHub gives it (github.com or an Enterprise Server).
   */
  readonly cloneUrl: string | undefined;
  /** PATH for jobs (where `dvc` and `python` are found); defaults to the bot's own PATH. */
  readonly jobPath: string;
  /** Variables of the bot's environment that repositories may pass to jobs (`pipeline.env`). */
  readonly jobEnvAllowed: readonly string[];
  /**
   * Whether local jobs may run as plain processes where no bubblewrap sandbox can be made (a
   * trusted single-user setup). Off: such a bot refuses local jobs and says what to install.
   */
  readonly allowUnsandboxed: boolean;
  /** The host uid (and gid) sandboxed jobs run as when the bot itself runs as root. */
  readonly sandboxUid: number;
  /** The Docker engine for /build and `runner: docker`; undefined when there is none. */
  readonly docker: { readonly socketPath: string; readonly cpus: number; readonly memoryBytes: number; readonly network: string } | undefined;
  /** How pushes authenticate: basic credentials, or Google Application Default Credentials. */
  readonly registryAuth: { readonly kind: "none" } | { readonly kind: "basic"; readonly username: string; readonly password: string } | { readonly kind: "google" };
  /**
   * Jobs, handled commands and facts: the SQLite file in the data folder, or what several instances
   * share: a PostgreSQL database (by URL, or a Cloud SQL instance through the connector with IAM
   * authentication), or a GCS prefix.
   */
  readonly jobStore:
    | { readonly kind: "sqlite" }
    | { readonly kind: "gcs"; readonly url: string }
    | {
        readonly kind: "postgres";
        readonly url: string;
        readonly cloudSql?: { readonly instance: string; readonly ipType: "PUBLIC" | "PRIVATE" | "PSC" };
      };
  /** Logs and collected outputs: a folder (default `artifacts/` in the data folder) or a GCS prefix. */
  readonly artifacts: ArtifactLocation;
  /** A Cloud Storage emulator's endpoint (tests only); unset, Google Cloud with Application Default Credentials. */
  readonly gcsEndpoint: string | undefined;
  /** How repository files are parsed: limits, and the worker threads that run the parsers. */
  readonly parsing: { readonly limits: ParseLimits; readonly workers: number; readonly timeoutMs: number; readonly memoryMb: number };
  /** The training Cloud Run Job (`runner: cloud-run`), `projects/<p>/locations/<l>/jobs/<job>`. */
  readonly cloudRunJob: string | undefined;
  /** The root of the Cloud Run jobs' DVC run-cache layers (`gs://bucket/prefix`); undefined when off. */
  readonly cloudRunDvcCache: string | undefined;
  /** Promotions (`/deploy`, `deploy.on_merge`): the inference service to roll and the bucket models go to; undefined when off. */
  readonly deploy: DeployConfig | undefined;
  /** The job pages (signed links under the public URL); undefined when off. */
  readonly web: WebConfig | undefined;
  /** The MLflow tracking server train jobs log to; undefined when off. */
  readonly mlflow: MlflowConfig | undefined;
  /** The bearer token `GET /metrics` wants; unset, the bot serves no metrics page. */
  readonly metricsToken: string | undefined;
  /** The DVC cache local and Docker jobs share, in layers per repository; undefined when off (`MLOPS_CACHE_MAX_GB=0`). */
  readonly cache: CacheConfig | undefined;
  /** Prices of runs (each train report's estimate), the monthly budget and the weekly summary's issue. */
  readonly costs: CostConfig;
}

/** Reads and validates the environment; a bad value throws a `ConfigError` naming the variable. */
export function loadServerConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ServerConfig {
  const c = parseServerEnv(env);
  checkCombinations(c);
  const dataDir = path.resolve(cwd, c.MLOPS_DATA_DIR);
  return {
    dataDir,
    workerConcurrency: c.MLOPS_WORKER_CONCURRENCY,
    publicUrl: c.MLOPS_PUBLIC_URL?.replace(/\/+$/, ""),
    cloneUrl: c.MLOPS_CLONE_URL,
    jobPath: c.MLOPS_JOB_PATH ?? env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    allowUnsandboxed: c.MLOPS_ALLOW_UNSANDBOXED,
    sandboxUid: c.MLOPS_SANDBOX_UID,
    jobEnvAllowed: c.MLOPS_JOB_ENV ? c.MLOPS_JOB_ENV.split(",").map((s) => s.trim()) : [],
    docker: readDocker(c),
    registryAuth: readRegistryAuth(c),
    jobStore: readJobStore(c),
    artifacts: readArtifacts(c.MLOPS_ARTIFACTS, dataDir, cwd),
    gcsEndpoint: c.MLOPS_GCS_ENDPOINT?.replace(/\/+$/, ""),
    cloudRunJob: c.MLOPS_CLOUD_RUN_JOB,
    cloudRunDvcCache: c.MLOPS_CLOUD_RUN_DVC_CACHE ? formatGcsUrl(c.MLOPS_CLOUD_RUN_DVC_CACHE.location) : undefined,
    deploy: loadDeployConfig(env),
    web: loadWebConfig(env, c.MLOPS_PUBLIC_URL?.replace(/\/+$/, "")),
    mlflow: loadMlflowConfig(env),
    metricsToken: c.MLOPS_METRICS_TOKEN,
    cache: loadCacheConfig(env, dataDir, cwd),
    costs: loadCostConfig(env),
    parsing: {
      limits: { ...DEFAULT_PARSE_LIMITS, maxBytes: { ...DEFAULT_PARSE_LIMITS.maxBytes, ...parseByteCaps(c.MLOPS_PARSE_MAX_BYTES) }, maxBacklogLines: c.MLOPS_PARSE_BACKLOG_LINES },
      workers: c.MLOPS_PARSE_WORKERS,
      timeoutMs: c.MLOPS_PARSE_TIMEOUT_MS,
      memoryMb: c.MLOPS_PARSE_MEMORY_MB,
    },
  };
}

type ServerEnv = z.infer<typeof serverConfigSchema>;

/** The variables through the schema (a blank one is unset); each bad one is a problem naming it, quoting its value unless it is a secret. */
function parseServerEnv(env: NodeJS.ProcessEnv): ServerEnv {
  const blankToUndefined = Object.fromEntries(Object.keys(serverConfigSchema.shape).map((k) => [k, env[k]?.trim() === "" ? undefined : env[k]]));
  const parsed = serverConfigSchema.safeParse(blankToUndefined);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      file: `environment variable ${String(issue.path[0])}`,
      message: /PASSWORD|SECRET|TOKEN|KEY/.test(String(issue.path[0])) ? issue.message : `${issue.message} (got "${shown(env[String(issue.path[0])])}")`,
    })),
  );
}

/** Variables that only make sense together: the first pair that does not fit is a `ConfigError` naming the variable to change. */
function checkCombinations(c: ServerEnv): void {
  const refuse = (variable: string, message: string) => {
    throw new ConfigError([{ file: `environment variable ${variable}`, message }]);
  };
  if (c.MLOPS_REGISTRY_AUTH === "basic" && (!c.MLOPS_REGISTRY_USERNAME || !c.MLOPS_REGISTRY_PASSWORD)) {
    refuse("MLOPS_REGISTRY_AUTH", 'is "basic", so MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD must be set too');
  }
  if (c.MLOPS_CLOUD_RUN_JOB && c.MLOPS_ARTIFACTS?.kind !== "gcs") {
    refuse("MLOPS_CLOUD_RUN_JOB", "needs MLOPS_ARTIFACTS to be a gs:// prefix: the job reads its source from there and writes its results back");
  }
  if (c.MLOPS_CLOUD_RUN_DVC_CACHE && /["'#;\r\n[\]\\\s]/.test(formatGcsUrl(c.MLOPS_CLOUD_RUN_DVC_CACHE.location))) {
    refuse("MLOPS_CLOUD_RUN_DVC_CACHE", "must be a gs:// prefix without quotes, '#', ';', brackets, backslashes or spaces (DVC's config holds it)");
  }
  if (c.MLOPS_CLOUD_RUN_DVC_CACHE && !c.MLOPS_CLOUD_RUN_JOB) {
    refuse("MLOPS_CLOUD_RUN_DVC_CACHE", "is the run-cache of Cloud Run jobs: set MLOPS_CLOUD_RUN_JOB too, or unset it");
  }
}

/** The Docker engine: the socket named, else the default one when it exists. */
function readDocker(c: ServerEnv): ServerConfig["docker"] {
  const socketPath = c.MLOPS_DOCKER_HOST?.replace(/^unix:\/\//, "") ?? (existsSync("/var/run/docker.sock") ? "/var/run/docker.sock" : undefined);
  return socketPath ? { socketPath, cpus: c.MLOPS_DOCKER_CPUS, memoryBytes: c.MLOPS_DOCKER_MEMORY_MB * 1024 * 1024, network: c.MLOPS_DOCKER_NETWORK } : undefined;
}

function readRegistryAuth(c: ServerEnv): ServerConfig["registryAuth"] {
  if (c.MLOPS_REGISTRY_AUTH === "basic") return { kind: "basic", username: c.MLOPS_REGISTRY_USERNAME!, password: c.MLOPS_REGISTRY_PASSWORD! };
  return c.MLOPS_REGISTRY_AUTH === "google" ? { kind: "google" } : { kind: "none" };
}

/** A value as an error may quote it: a URL's password is never shown. */
function shown(value: string | undefined): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*:[^/]*@/i.test(value ?? "") || /[?&]password=/i.test(value ?? "") ? redactPostgresUrl(value!) : String(value);
}

/** The job store the variables name; the Cloud SQL connector only with a PostgreSQL URL that leaves the host and password to it. */
function readJobStore(c: ServerEnv): ServerConfig["jobStore"] {
  const store = c.MLOPS_JOB_STORE;
  if (c.MLOPS_CLOUD_SQL_INSTANCE) {
    const refuse = (problem: string) =>
      new ConfigError([{ file: "environment variable MLOPS_CLOUD_SQL_INSTANCE", message: `${problem}; write it like \`postgres:///mlops_bot?user=mlops-bot-bot%40my-project.iam\`` }]);
    if (store.kind !== "postgres") throw refuse("needs MLOPS_JOB_STORE to be the PostgreSQL database to use on it");
    if (store.postgres.host || store.postgres.hasPassword || !store.postgres.user) {
      throw refuse(`connects with the service account's IAM identity, so MLOPS_JOB_STORE names only the database and that user, with no host or password (got "${store.postgres.redacted}")`);
    }
    return { kind: "postgres", url: store.url, cloudSql: { instance: c.MLOPS_CLOUD_SQL_INSTANCE, ipType: c.MLOPS_CLOUD_SQL_IP_TYPE } };
  }
  if (store.kind === "postgres") return { kind: "postgres", url: store.url };
  return store.kind === "gcs" ? { kind: "gcs", url: store.url } : { kind: "sqlite" };
}

/** Artifacts at the Cloud Storage prefix or folder named (a relative folder is read from `cwd`), else `artifacts/` in the data folder. */
function readArtifacts(named: ArtifactLocation | undefined, dataDir: string, cwd: string): ArtifactLocation {
  if (named?.kind === "gcs") return named;
  return { kind: "folder", dir: named?.kind === "folder" ? path.resolve(cwd, named.dir) : path.join(dataDir, "artifacts") };
}

/** `dir-manifest=512MiB, params=2MiB` (already checked by the schema) -> kind -> bytes. */
function parseByteCaps(text: string | undefined): Partial<Record<FileKind, number>> {
  const out: Partial<Record<FileKind, number>> = {};
  for (const item of text?.split(",") ?? []) {
    const m = /^\s*([a-z-]+)\s*=\s*(\d+)\s*(KiB|MiB)?\s*$/.exec(item);
    if (m) out[m[1] as FileKind] = Number(m[2]) * (m[3] === "MiB" ? 1024 * 1024 : m[3] === "KiB" ? 1024 : 1);
  }
  return out;
}
