import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { ConfigError } from "../../src/core/errors.js";

describe("loadServerConfig", () => {
  it("defaults the data folder, concurrency, clone URL and job environment", () => {
    expect(loadServerConfig({ PATH: "/usr/bin" }, "/srv/bot")).toMatchObject({
      dataDir: "/srv/bot/.mlops-bot",
      workerConcurrency: 1,
      publicUrl: undefined,
      cloneUrl: undefined,
      jobPath: "/usr/bin",
      jobEnvAllowed: [],
      registryAuth: { kind: "none" },
    });
  });

  it("reads the Docker engine and registry credentials, and insists on both halves of basic auth", () => {
    const config = loadServerConfig({
      MLOPS_DOCKER_HOST: "unix:///tmp/x/docker.sock",
      MLOPS_DOCKER_MEMORY_MB: "512",
      MLOPS_REGISTRY_AUTH: "basic",
      MLOPS_REGISTRY_USERNAME: "ci",
      MLOPS_REGISTRY_PASSWORD: "s3cret",
    });
    expect(config.docker).toEqual({ socketPath: "/tmp/x/docker.sock", cpus: 2, memoryBytes: 512 * 1024 * 1024, network: "bridge" });
    expect(config.registryAuth).toEqual({ kind: "basic", username: "ci", password: "s3cret" });
    expect(() => loadServerConfig({ MLOPS_REGISTRY_AUTH: "basic", MLOPS_REGISTRY_USERNAME: "ci" })).toThrow(
      'environment variable MLOPS_REGISTRY_AUTH: is "basic", so MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD must be set too',
    );
    expect(() => loadServerConfig({ MLOPS_REGISTRY_AUTH: "aws" })).toThrow('environment variable MLOPS_REGISTRY_AUTH: must be "none", "basic" or "google" (got "aws")');
  });

  it("reads the job PATH and the variables jobs may receive", () => {
    const config = loadServerConfig({ PATH: "/usr/bin", MLOPS_JOB_PATH: "/opt/venv/bin:/usr/bin", MLOPS_JOB_ENV: "MLFLOW_TRACKING_URI, HF_HOME" });
    expect(config.jobPath).toBe("/opt/venv/bin:/usr/bin");
    expect(config.jobEnvAllowed).toEqual(["MLFLOW_TRACKING_URI", "HF_HOME"]);
    expect(() => loadServerConfig({ MLOPS_JOB_ENV: "lower-case" })).toThrow("environment variable MLOPS_JOB_ENV: must be a comma-separated list");
  });

  it("reads the variables", () => {
    const config = loadServerConfig(
      { MLOPS_DATA_DIR: "/var/lib/mlops", MLOPS_WORKER_CONCURRENCY: "3", MLOPS_PUBLIC_URL: "https://bot.example.com/" },
      "/srv",
    );
    expect(config).toMatchObject({ dataDir: "/var/lib/mlops", workerConcurrency: 3, publicUrl: "https://bot.example.com" });
  });

  it("keeps jobs and artifacts in the data folder by default, or in Cloud Storage when told", () => {
    expect(loadServerConfig({}, "/srv")).toMatchObject({ jobStore: { kind: "sqlite" }, artifacts: { kind: "folder", dir: "/srv/.mlops-bot/artifacts" }, gcsEndpoint: undefined });
    expect(loadServerConfig({ MLOPS_ARTIFACTS: "art" }, "/srv").artifacts).toEqual({ kind: "folder", dir: "/srv/art" });
    expect(loadServerConfig({ MLOPS_ARTIFACTS: "file:///data/art" }, "/srv").artifacts).toEqual({ kind: "folder", dir: "/data/art" });
    const shared = loadServerConfig({ MLOPS_JOB_STORE: "gs://team-bot/jobs", MLOPS_ARTIFACTS: "gs://team-bot/artifacts/", MLOPS_GCS_ENDPOINT: "http://127.0.0.1:9023/" });
    expect(shared).toMatchObject({
      jobStore: { kind: "gcs", url: "gs://team-bot/jobs" },
      artifacts: { kind: "gcs", url: "gs://team-bot/artifacts/" },
      gcsEndpoint: "http://127.0.0.1:9023",
    });
    expect(() => loadServerConfig({ MLOPS_JOB_STORE: "mysql://db" })).toThrow(
      'environment variable MLOPS_JOB_STORE: `mysql:` URLs are not supported here; use `sqlite`, `postgres://user:password@host:5432/database` or `gs://bucket/prefix` (got "mysql://db")',
    );
    expect(() => loadServerConfig({ MLOPS_JOB_STORE: "gs://Team/jobs" })).toThrow("environment variable MLOPS_JOB_STORE: `Team` in `gs://Team/jobs` is not a bucket name");
    expect(() => loadServerConfig({ MLOPS_ARTIFACTS: "s3://bucket/a" })).toThrow(
      "environment variable MLOPS_ARTIFACTS: `s3:` URLs are not supported here; use a folder (`/srv/store`), `file:///srv/store` or `gs://bucket/prefix`",
    );
    expect(() => loadServerConfig({ MLOPS_GCS_ENDPOINT: "localhost" })).toThrow("environment variable MLOPS_GCS_ENDPOINT: must be the URL of a Cloud Storage emulator");
  });

  it("takes the backlog line limit for the parse workers, and refuses a bad one", () => {
    expect(loadServerConfig({}).parsing.limits.maxBacklogLines).toBeUndefined();
    expect(loadServerConfig({ MLOPS_PARSE_BACKLOG_LINES: "4000" }).parsing.limits.maxBacklogLines).toBe(4000);
    expect(() => loadServerConfig({ MLOPS_PARSE_BACKLOG_LINES: "lots" })).toThrow(/MLOPS_PARSE_BACKLOG_LINES: must be a whole number of lines, like 2500/);
  });

  it("names each bad variable and what to write instead", () => {
    let error: unknown;
    try {
      loadServerConfig({ MLOPS_WORKER_CONCURRENCY: "two", MLOPS_PUBLIC_URL: "bot.example.com" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split("\n")).toEqual([
      'environment variable MLOPS_WORKER_CONCURRENCY: must be a whole number of jobs, like 2 (got "two").',
      'environment variable MLOPS_PUBLIC_URL: must be an absolute URL, like https://bot.example.com (got "bot.example.com").',
    ]);
  });

  it("takes the training Cloud Run Job only with Cloud Storage artifacts the job can reach", () => {
    const job = "projects/ml/locations/europe-west1/jobs/mlops-bot-training";
    expect(loadServerConfig({ MLOPS_CLOUD_RUN_JOB: job, MLOPS_ARTIFACTS: "gs://ml-artifacts/bot" }).cloudRunJob).toBe(job);
    expect(() => loadServerConfig({ MLOPS_CLOUD_RUN_JOB: job })).toThrow(
      "environment variable MLOPS_CLOUD_RUN_JOB: needs MLOPS_ARTIFACTS to be a gs:// prefix: the job reads its source from there and writes its results back",
    );
    expect(() => loadServerConfig({ MLOPS_CLOUD_RUN_JOB: "mlops-bot-training" })).toThrow("environment variable MLOPS_CLOUD_RUN_JOB: must be a Cloud Run job name");
  });

  it("takes the Cloud Run jobs' DVC run-cache as a gs:// prefix, only with the job", () => {
    const job = "projects/ml/locations/europe-west1/jobs/mlops-bot-training";
    const withJob = { MLOPS_CLOUD_RUN_JOB: job, MLOPS_ARTIFACTS: "gs://ml-artifacts/bot" };
    expect(loadServerConfig(withJob).cloudRunDvcCache).toBeUndefined();
    expect(loadServerConfig({ ...withJob, MLOPS_CLOUD_RUN_DVC_CACHE: "gs://ml-dvc/mlops-bot-cache/" }).cloudRunDvcCache).toBe("gs://ml-dvc/mlops-bot-cache");
    expect(() => loadServerConfig({ ...withJob, MLOPS_CLOUD_RUN_DVC_CACHE: "/srv/cache" })).toThrow("environment variable MLOPS_CLOUD_RUN_DVC_CACHE:");
    expect(() => loadServerConfig({ ...withJob, MLOPS_CLOUD_RUN_DVC_CACHE: "gs://ml-dvc/a#b" })).toThrow("environment variable MLOPS_CLOUD_RUN_DVC_CACHE: must be a gs:// prefix without quotes");
    expect(() => loadServerConfig({ MLOPS_CLOUD_RUN_DVC_CACHE: "gs://ml-dvc/c" })).toThrow("environment variable MLOPS_CLOUD_RUN_DVC_CACHE: is the run-cache of Cloud Run jobs: set MLOPS_CLOUD_RUN_JOB too, or unset it");
  });

  it("promotes only with both the inference service and its models bucket, each in its own form", () => {
    const service = "projects/ml/locations/europe-west1/services/mlops-bot-inference";
    expect(loadServerConfig({}).deploy).toBeUndefined();
    expect(loadServerConfig({ MLOPS_DEPLOY_SERVICE: service, MLOPS_DEPLOY_MODELS: "gs://ml-mlops-bot-models/promoted/" }).deploy).toEqual({
      service,
      models: { bucket: "ml-mlops-bot-models", prefix: "promoted" },
    });
    expect(() => loadServerConfig({ MLOPS_DEPLOY_SERVICE: service })).toThrow("environment variable MLOPS_DEPLOY_MODELS: promotions need both MLOPS_DEPLOY_SERVICE");
    expect(() => loadServerConfig({ MLOPS_DEPLOY_MODELS: "gs://ml-mlops-bot-models" })).toThrow("environment variable MLOPS_DEPLOY_SERVICE: promotions need both");
    expect(() => loadServerConfig({ MLOPS_DEPLOY_SERVICE: "mlops-bot-inference", MLOPS_DEPLOY_MODELS: "gs://ml-mlops-bot-models" })).toThrow(
      "environment variable MLOPS_DEPLOY_SERVICE: must be a Cloud Run service name",
    );
    expect(() => loadServerConfig({ MLOPS_DEPLOY_SERVICE: service, MLOPS_DEPLOY_MODELS: "/srv/models" })).toThrow(
      "environment variable MLOPS_DEPLOY_MODELS: a folder is not supported here; use `gs://bucket/prefix` (it is the models bucket (and prefix) promotions upload to, like gs://my-project-mlops-bot-models)",
    );
  });

  it("keeps jobs in PostgreSQL when MLOPS_JOB_STORE is a postgres URL, and never repeats its password in an error", () => {
    const url = "postgres://bot:s3cret-pw@db.internal:5432/mlops_bot?sslmode=require";
    expect(loadServerConfig({ MLOPS_JOB_STORE: url }).jobStore).toEqual({ kind: "postgres", url });
    expect(loadServerConfig({ MLOPS_JOB_STORE: "postgresql://db.internal/mlops_bot" }).jobStore).toMatchObject({ kind: "postgres" });
    const messages = [
      "postgres://bot:s3cret-pw@db.internal:5432/",
      "postgres://bot:s3cret-pw@[db.internal/mlops_bot",
      "postgres://db.internal/mlops_bot?password=s3cret-pw&user=bot&x=/",
    ].map((value) => {
      try {
        loadServerConfig({ MLOPS_JOB_STORE: value, MLOPS_CLOUD_SQL_INSTANCE: value.includes("?") ? "p:r:i" : undefined });
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(messages).toEqual([
      'environment variable MLOPS_JOB_STORE: `postgres://bot:***@db.internal:5432/` names no database; write it as postgres://user:password@host:5432/database (got "postgres://bot:***@db.internal:5432/").',
      'environment variable MLOPS_JOB_STORE: cannot be read as a URL (it is not repeated here: it may hold a password); write it as postgres://user:password@host:5432/database, with special characters percent-encoded (got "postgres://(an unreadable URL)").',
      'environment variable MLOPS_CLOUD_SQL_INSTANCE: connects with the service account\'s IAM identity, so MLOPS_JOB_STORE names only the database and that user, with no host or password (got "postgres://db.internal/mlops_bot?password=***&user=bot&x=%2F"); write it like `postgres:///mlops_bot?user=mlops-bot-bot%40my-project.iam`.',
    ]);
    for (const message of messages) expect(message).not.toContain("s3cret");
  });

  it("reaches a Cloud SQL instance through the connector, with IAM authentication: a database and a user, no host, no password", () => {
    const store = "postgres:///mlops_bot?user=mlops-bot-bot%40my-project.iam";
    expect(loadServerConfig({ MLOPS_JOB_STORE: store, MLOPS_CLOUD_SQL_INSTANCE: "my-project:europe-west1:mlops" }).jobStore).toEqual({
      kind: "postgres",
      url: store,
      cloudSql: { instance: "my-project:europe-west1:mlops", ipType: "PUBLIC" },
    });
    expect(loadServerConfig({ MLOPS_JOB_STORE: store, MLOPS_CLOUD_SQL_INSTANCE: "p:r:i", MLOPS_CLOUD_SQL_IP_TYPE: "PRIVATE" }).jobStore).toMatchObject({
      cloudSql: { ipType: "PRIVATE" },
    });
    expect(() => loadServerConfig({ MLOPS_CLOUD_SQL_INSTANCE: "p:r:i" })).toThrow(
      "environment variable MLOPS_CLOUD_SQL_INSTANCE: needs MLOPS_JOB_STORE to be the PostgreSQL database to use on it; write it like `postgres:///mlops_bot?user=mlops-bot-bot%40my-project.iam`.",
    );
    expect(() => loadServerConfig({ MLOPS_JOB_STORE: "postgres:///mlops_bot", MLOPS_CLOUD_SQL_INSTANCE: "p:r:i" })).toThrow("no host or password");
    expect(() => loadServerConfig({ MLOPS_JOB_STORE: store, MLOPS_CLOUD_SQL_INSTANCE: "mlops" })).toThrow(
      "environment variable MLOPS_CLOUD_SQL_INSTANCE: must be a Cloud SQL instance connection name, like my-project:europe-west1:mlops",
    );
  });

  it("sandboxes jobs unless unsandboxed jobs are explicitly allowed, and never as root", () => {
    expect(loadServerConfig({})).toMatchObject({ allowUnsandboxed: false, sandboxUid: 65534 });
    expect(loadServerConfig({ MLOPS_ALLOW_UNSANDBOXED: "true", MLOPS_SANDBOX_UID: "2000" })).toMatchObject({ allowUnsandboxed: true, sandboxUid: 2000 });
    expect(() => loadServerConfig({ MLOPS_ALLOW_UNSANDBOXED: "yes" })).toThrow('environment variable MLOPS_ALLOW_UNSANDBOXED: must be "true" or "false" (got "yes")');
    expect(() => loadServerConfig({ MLOPS_SANDBOX_UID: "0" })).toThrow("environment variable MLOPS_SANDBOX_UID: must not be 0: the sandbox never runs as root");
  });
});
