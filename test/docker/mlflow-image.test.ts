import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type Docker from "dockerode";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerServices } from "../helpers/docker-services.js";
import { ROOT } from "../helpers/example-repo.js";
import { postgresServer } from "../helpers/postgres-server.js";

/**
 * docker/mlflow/Dockerfile built on the test engine, on the locally made Python base of the same
 * family as python:3.11-slim-bookworm (scripts/make-base-images.sh: made once, then kept on the
 * engine with the build's layers, so a later run re-uses both), then started as Cloud Run would:
 * /health answers and the real MLflow client creates a run, with the image's SQLite default and
 * with PostgreSQL reached through a Cloud SQL-style socket (/cloudsql/<instance>).
 */
const run = promisify(execFile);
const services = dockerServices();
const postgres = postgresServer();
const BASE = "local/python:3.11-slim-bookworm";
const FILES = ["docker/mlflow/Dockerfile", "docker/mlflow/requirements.txt", "docker/mlflow/entrypoint.py"];
const inputs = createHash("sha256").update(FILES.map((f) => readFileSync(path.join(ROOT, f))).join("\0")).digest("hex").slice(0, 12);
const IMAGE = `mlops-test/mlflow:${inputs}`;
const started: Docker.Container[] = [];

async function buildImage(docker: Docker): Promise<void> {
  await run("bash", [path.join(ROOT, "scripts/make-base-images.sh"), "python"], { env: { ...process.env, DOCKER_HOST: `unix://${services!.socketPath}` } });
  const stream = await docker.buildImage({ context: ROOT, src: FILES }, {
    t: IMAGE,
    dockerfile: "docker/mlflow/Dockerfile",
    buildargs: { PYTHON_IMAGE: BASE, REVISION: "test", SOURCE: "https://example.com/mlops-bot" },
    networkmode: "host", // pip reaches PyPI through the host's network
    rm: true,
    forcerm: true,
  } as Docker.ImageBuildOptions);
  const log: string[] = [];
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: { stream?: string; error?: string }) => {
        if (event.stream) log.push(event.stream);
        if (event.error) reject(new Error(`${event.error}\n${log.slice(-20).join("")}`));
      },
    ),
  );
}

/** Starts the image with `env` (and `mounts`), publishes 5000 on 127.0.0.1; its URL once /health answers. */
async function startServer(docker: Docker, env: Record<string, string>, mounts: Docker.MountSettings[] = []): Promise<{ container: Docker.Container; url: string }> {
  const container = await docker.createContainer({
    Image: IMAGE,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: { "5000/tcp": {} },
    HostConfig: { PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] }, Mounts: mounts },
  });
  started.push(container);
  await container.start();
  const port = (await container.inspect()).NetworkSettings.Ports["5000/tcp"]![0]!.HostPort;
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    const state = (await container.inspect()).State;
    if (!state.Running) throw new Error(`the server exited ${state.ExitCode}: ${await logs(container)}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { container, url };
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no /health after 240 s: ${await logs(container)}`);
}

/** stdout and stderr of a container, without the engine's 8-byte frame headers. */
async function logs(container: Docker.Container): Promise<string> {
  const buffer: Buffer = await container.logs({ stdout: true, stderr: true, follow: false });
  const parts: string[] = [];
  for (let at = 0; at + 8 <= buffer.length; at += 8 + buffer.readUInt32BE(at + 4)) parts.push(buffer.toString("utf8", at + 8, at + 8 + buffer.readUInt32BE(at + 4)));
  return parts.join("");
}

async function api<T>(url: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/api/2.0/mlflow/${route}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status, `${route}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

const CLOUD_SQL_INSTANCE = "test-project:europe-west1:mlflow-test";
const PASSWORD = "p@ss:/word?#%"; // quoted into the URI (the test cluster trusts its socket, so any password connects)

describe.runIf(services)("docker/mlflow/Dockerfile on the local engine", () => {
  let sqlite: { container: Docker.Container; url: string };
  let cloudSql: { container: Docker.Container; url: string; database: string } | undefined;

  // One build, then both servers start at once (each takes most of a minute to import MLflow).
  beforeAll(async () => {
    await buildImage(services!.docker);
    const database = postgres ? new URL(await postgres.createDatabase("mlflow")).pathname.slice(1) : "";
    const socket = postgres ? path.join(process.env.MLOPS_TEST_SERVICES_DIR ?? "/tmp/mlops-bot-test-services", "postgres", `.s.PGSQL.${new URL(postgres.url).port}`) : "";
    const [a, b] = await Promise.all([
      startServer(services!.docker, { MLFLOW_WORKERS: "1" }),
      postgres
        ? startServer(
            services!.docker,
            { MLFLOW_CLOUD_SQL_INSTANCE: CLOUD_SQL_INSTANCE, MLFLOW_DB_USER: "mlops", MLFLOW_DB_NAME: database, MLFLOW_DB_PASSWORD: PASSWORD, MLFLOW_WORKERS: "1" },
            [{ Type: "bind", Source: socket, Target: `/cloudsql/${CLOUD_SQL_INSTANCE}/.s.PGSQL.5432` }],
          )
        : undefined,
    ]);
    sqlite = a;
    cloudSql = b && { ...b, database };
  }, 1_500_000);
  afterAll(async () => {
    for (const c of started) await c.remove({ force: true }).catch(() => undefined);
  });

  it("runs as a non-root user and starts with its SQLite default: /health answers, the MLflow client logs a run with an artifact", async () => {
    const image = await services!.docker.getImage(IMAGE).inspect();
    expect(image.Config.User).toBe("1000:1000");
    expect(image.Config.Labels).toMatchObject({ "org.opencontainers.image.revision": "test" });
    const { container, url } = sqlite;
    expect(await (await fetch(`${url}/health`)).text()).toBe("OK");

    const script = [
      "import mlflow, pathlib, tempfile",
      "mlflow.set_experiment('image-test')",
      "with mlflow.start_run() as run:",
      "    mlflow.log_param('learning_rate', 0.1)",
      "    mlflow.log_metric('accuracy', 0.93)",
      "    p = pathlib.Path(tempfile.mkdtemp()) / 'model.txt'; p.write_text('weights')",
      "    mlflow.log_artifact(str(p))",
      "print(run.info.run_id)",
    ].join("\n");
    const { stdout } = await run(path.join(ROOT, ".venv/bin/python"), ["-c", script], { env: { ...process.env, MLFLOW_TRACKING_URI: url, MLFLOW_DISABLE_TELEMETRY: "true" } });
    const runId = stdout.trim().split("\n").at(-1)!;
    const got = await api<{ run: { data: { metrics: { key: string; value: number }[]; params: { key: string; value: string }[] }; info: { artifact_uri: string } } }>(url, `runs/get?run_id=${runId}`);
    expect(got.run.data.metrics).toEqual([expect.objectContaining({ key: "accuracy", value: 0.93 })]);
    expect(got.run.data.params).toEqual([{ key: "learning_rate", value: "0.1" }]);
    expect(got.run.info.artifact_uri).toMatch(/^mlflow-artifacts:\//); // proxied: clients never touch the store
    const files = await api<{ files: { path: string }[] }>(url, `artifacts/list?run_id=${runId}`);
    expect(files.files.map((f) => f.path)).toEqual(["model.txt"]);
    const top = await container.top({ ps_args: "-o pid,user,args" });
    expect(top.Processes.map((p: string[]) => p[1])).not.toContain("root");
  }, 120_000);

  it.runIf(postgres)("uses PostgreSQL through a Cloud SQL connector socket, without the password on a command line or in the log", async () => {
    const { container, url, database } = cloudSql!;
    const experiment = await api<{ experiment_id: string }>(url, "experiments/create", { name: "cloud-sql" });
    const created = await api<{ run: { info: { run_id: string } } }>(url, "runs/create", { experiment_id: experiment.experiment_id, start_time: Date.now() });
    await api(url, "runs/log-metric", { run_id: created.run.info.run_id, key: "auc", value: 0.88, timestamp: Date.now(), step: 0 });

    // Read back from that database directly: the run is in PostgreSQL, not in a file.
    const dbUrl = new URL(postgres!.url);
    dbUrl.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: dbUrl.toString() });
    await client.connect();
    const rows: unknown = await client
      .query("SELECT r.run_uuid, m.key, m.value FROM runs r JOIN metrics m ON m.run_uuid = r.run_uuid")
      .then((r): unknown => r.rows, (e: Error) => e)
      .finally(() => client.end());
    expect(rows).toEqual([{ run_uuid: created.run.info.run_id, key: "auc", value: 0.88 }]);
    const top = await container.top({ ps_args: "-o pid,args" });
    expect(JSON.stringify(top.Processes)).not.toContain("p@ss");
    expect(await logs(container)).not.toContain("p@ss");
  }, 120_000);

  it("refuses a bad setting at once, naming the variable", async () => {
    const container = await services!.docker.createContainer({ Image: IMAGE, Env: ["MLFLOW_CLOUD_SQL_INSTANCE=just-a-name", "MLFLOW_DB_USER=u", "MLFLOW_DB_NAME=d", "MLFLOW_DB_PASSWORD=p"] });
    started.push(container);
    await container.start();
    const exit = (await container.wait()) as { StatusCode: number };
    expect(exit.StatusCode).toBe(2);
    expect(await logs(container)).toContain("MLFLOW_CLOUD_SQL_INSTANCE must be <project>:<region>:<instance>, not 'just-a-name'");
  }, 60_000);
});
