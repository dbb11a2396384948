import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { ConfigError } from "../../src/core/errors.js";

describe("loadServerConfig", () => {
  it("defaults the data folder, concurrency, clone URL and job environment", () => {
    expect(loadServerConfig({ PATH: "/usr/bin" }, "/srv/bot")).toMatchObject({
      dataDir: "/srv/bot/.mlops-bot",
      workerConcurrency: 1,
      publicUrl: undefined,
      cloneUrl: "https://github.com/{owner}/{repo}.git",
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
    const shared = loadServerConfig({ MLOPS_JOB_STORE: "gs://team-bot/jobs", MLOPS_ARTIFACTS: "gs://team-bot/artifacts/", MLOPS_GCS_ENDPOINT: "http://127.0.0.1:9023/" });
    expect(shared).toMatchObject({
      jobStore: { kind: "gcs", url: "gs://team-bot/jobs" },
      artifacts: { kind: "gcs", url: "gs://team-bot/artifacts/" },
      gcsEndpoint: "http://127.0.0.1:9023",
    });
    expect(() => loadServerConfig({ MLOPS_JOB_STORE: "postgres://db" })).toThrow(
      'environment variable MLOPS_JOB_STORE: must be "sqlite" or a Cloud Storage prefix that several bot instances share, like gs://my-bucket/mlops-bot (got "postgres://db")',
    );
    expect(() => loadServerConfig({ MLOPS_JOB_STORE: "gs://Team/jobs" })).toThrow("environment variable MLOPS_JOB_STORE: `Team` in `gs://Team/jobs` is not a bucket name");
    expect(() => loadServerConfig({ MLOPS_ARTIFACTS: "s3://bucket/a" })).toThrow(
      "environment variable MLOPS_ARTIFACTS: must be a folder or a Cloud Storage prefix, like /srv/artifacts or gs://my-bucket/artifacts",
    );
    expect(() => loadServerConfig({ MLOPS_GCS_ENDPOINT: "localhost" })).toThrow("environment variable MLOPS_GCS_ENDPOINT: must be the URL of a Cloud Storage emulator");
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
});
