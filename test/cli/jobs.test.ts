import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createJobStore } from "../../src/adapters/stores/create-job-store.js";
import { jobsCommand } from "../../src/cli/commands/jobs.js";
import { cliCommands } from "../../src/cli/commands/index.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { newJob, newTrainInput } from "../helpers/new-job.js";
import { postgresServer } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const gcs = gcsEmulator();
const postgres = postgresServer();
const opened: JobStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

/** The bot's environment for a fresh store of each kind: the CLI reads it as the bot does. */
const backends: Array<[string, (() => Promise<Record<string, string>>) | undefined]> = [
  ["SQLite", () => Promise.resolve({ MLOPS_DATA_DIR: path.join(tempDir(), "data") })],
  ["PostgreSQL", postgres && (async () => ({ MLOPS_JOB_STORE: await postgres.createDatabase("cli") }))],
  ["Cloud Storage (fake-gcs-server)", gcs && (() => Promise.resolve({ MLOPS_JOB_STORE: gcs.url("cli"), MLOPS_GCS_ENDPOINT: gcs.endpoint }))],
];

async function jobs(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await jobsCommand.run(args, { cwd: tempDir(), env, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function storeFor(env: Record<string, string>): JobStore {
  const store = createJobStore(loadServerConfig(env));
  opened.push(store);
  return store;
}

describe.each(backends)("mlops-bot jobs on the %s store", (_name, backend) => {
  it.runIf(backend)("lists jobs newest first with filters, and shows one with every field", async () => {
    const env = await backend!();
    const store = storeFor(env);
    const a = await store.enqueue(newJob({ key: "a", input: newTrainInput([{ file: "ml/params.yaml", key: "train.lr", path: ["train", "lr"], type: "float", value: 0.1, literal: "0.1" }]) }));
    await store.enqueue(newJob({ key: "b", kind: "build", pr: null, group: "build:main", headRef: "main" }));
    await store.enqueue(newJob({ key: "c", pr: 2, group: "octo-org/ml-repo#2:train" }));
    await store.transition(a.job.id, "queued", "cancelled", { reason: "Superseded by a newer /train." });

    const all = await jobs(env, "list");
    expect(all).toMatchObject({ code: 0, err: "" });
    const lines = all.out.trim().split("\n");
    expect(lines[0]).toMatch(/^ID +KIND +STATE +WHERE +COMMIT +CREATED \(UTC\) +REASON$/);
    expect(lines.slice(1, 4).map((l) => l.split(/ +/).slice(1, 4))).toEqual([
      ["train", "queued", "octo-org/ml-repo#2"],
      ["build", "queued", "octo-org/ml-repo@main"],
      ["train", "cancelled!", "octo-org/ml-repo#1"],
    ]);
    expect((await jobs(env, "list", "--state", "queued", "--kind", "train")).out).toContain("octo-org/ml-repo#2");
    expect((await jobs(env, "list", "--state=queued,running", "--kind", "train", "--pr", "1")).out).toBe("No jobs match.\n");
    expect((await jobs(env, "list", "--repo", "someone/else")).out).toBe("No jobs match.\n");
    const limited = JSON.parse((await jobs(env, "list", "--limit", "1", "--json")).out) as Array<{ key: string }>;
    expect(limited.map((j) => j.key)).toEqual(["c"]);

    const shown = await jobs(env, "show", a.job.id);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`Job ${a.job.id}\n`);
    expect(shown.out).toMatch(/state +cancelled, not yet reported\n/);
    expect(shown.out).toMatch(/reason +Superseded by a newer \/train\.\n/);
    expect(shown.out).toContain('"key": "train.lr"');
    expect(JSON.parse((await jobs(env, "show", a.job.id, "--json")).out)).toEqual(await store.get(a.job.id));
    expect(await jobs(env, "show", "no-such-job")).toEqual({ code: 1, out: "", err: 'mlops-bot jobs: no job "no-such-job" in the job store\n' });
  });

  it.runIf(backend)("cancels a queued job at once and asks a running one's worker to stop; an ended one stays as it is", async () => {
    const env = await backend!();
    const store = storeFor(env);
    const queued = await store.enqueue(newJob({ key: "q" }));
    const running = await store.enqueue(newJob({ key: "r", group: "other" }));
    await store.transition(running.job.id, "queued", "running");

    expect(await jobs(env, "cancel", queued.job.id, "--reason", "Stopped for maintenance.")).toEqual({ code: 0, out: `Cancelled queued job ${queued.job.id}.\n`, err: "" });
    expect(await store.get(queued.job.id)).toMatchObject({ state: "cancelled", reason: "Stopped for maintenance.", reported: false });
    const asked = await jobs(env, "cancel", running.job.id);
    expect(asked.out).toMatch(/^Asked the worker running job .* to stop it\.\n$/);
    expect(await store.get(running.job.id)).toMatchObject({ state: "running", cancelRequested: true, reason: expect.stringMatching(/^Cancelled by an operator \(.+\)\.$/) });
    expect(await jobs(env, "cancel", queued.job.id)).toEqual({ code: 1, out: "", err: `mlops-bot jobs: job ${queued.job.id} already ended (cancelled); nothing to cancel\n` });
  });

  it.runIf(backend)("retries an ended job with the same command, superseding its pull request's open jobs; refuses one still running", async () => {
    const env = await backend!();
    const store = storeFor(env);
    const failed = await store.enqueue(newJob({ key: "comment:5:0", input: newTrainInput([{ file: "ml/params.yaml", key: "train.seed", path: ["train", "seed"], type: "int", value: 3, literal: "3" }]) }));
    await store.transition(failed.job.id, "queued", "running");
    await store.transition(failed.job.id, "running", "failed", { reason: "The bot stopped while this job was running." });
    const newer = await store.enqueue(newJob({ key: "comment:6:0" }));

    const retried = await jobs(env, "retry", failed.job.id);
    expect(retried.code).toBe(0);
    const id = /^Queued job (\S+): train of c0ffee0 again \(retry of /.exec(retried.out)?.[1];
    const copy = await store.get(id!);
    expect(copy).toMatchObject({
      state: "queued",
      key: expect.stringMatching(new RegExp(`^retry:${failed.job.id}:`)),
      headSha: failed.job.headSha,
      group: failed.job.group,
      input: newTrainInput([{ file: "ml/params.yaml", key: "train.seed", path: ["train", "seed"], type: "int", value: 3, literal: "3" }]),
      requestedBy: "octocat",
      commentId: null,
    });
    expect(await store.get(newer.job.id)).toMatchObject({ state: "cancelled", reason: expect.stringMatching(`^Superseded by a retry of job ${failed.job.id} by an operator`) });
    expect(await jobs(env, "retry", copy!.id)).toMatchObject({ code: 1, err: `mlops-bot jobs: job ${copy!.id} is queued; only an ended job can be retried (cancel it first: mlops-bot jobs cancel ${copy!.id})\n` });
  });
});

describe("mlops-bot jobs", () => {
  it("is registered, and says what is wrong with its arguments", async () => {
    expect(cliCommands.map((c) => c.name)).toContain("jobs");
    const env = { MLOPS_DATA_DIR: path.join(tempDir(), "data") };
    for (const [args, message] of [
      [[], "missing the action: list, show, cancel or retry"],
      [["purge"], 'unknown action "purge": use list, show, cancel or retry'],
      [["show"], "show needs the job's ID (see mlops-bot jobs list)"],
      [["list", "--state", "done"], '--state "done" is not a state: use queued, running, succeeded, failed, cancelled, timed_out'],
      [["list", "--pr", "x"], '--pr needs a pull request number, got "x"'],
      [["cancel", "id", "--json"], "--json does not go with cancel"],
      [["list", "--nope"], 'unknown option "--nope"'],
      [["list", "--limit"], "--limit needs a number, got nothing"],
    ] as const) {
      const result = await jobs(env, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.err).toContain(`mlops-bot jobs: ${message}`);
    }
  });

  it("stops on a bad store setting, never repeating a password", async () => {
    const bad = await jobs({ MLOPS_JOB_STORE: "postgres://bot:s3cret-pw@db.internal:5432/" }, "list");
    expect(bad).toEqual({
      code: 2,
      out: "",
      err: 'mlops-bot jobs: environment variable MLOPS_JOB_STORE: `postgres://bot:***@db.internal:5432/` names no database; write it as postgres://user:password@host:5432/database (got "postgres://bot:***@db.internal:5432/").\n',
    });
  });

  it.runIf(postgres)("says which store it could not reach, with the password redacted", async () => {
    const url = new URL(postgres!.url);
    url.password = "wrong-s3cret";
    const result = await jobs({ MLOPS_JOB_STORE: url.toString() }, "list");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^mlops-bot jobs: cannot list jobs in the job store at postgres:\/\/mlops:\*\*\*@127\.0\.0\.1:\d+\/mlops_test: password authentication failed/);
    expect(result.err).not.toContain("s3cret");
  });
});
