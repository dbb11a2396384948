import { describe, expect, it } from "vitest";
import { PostgresJobStore } from "../../../src/adapters/stores/postgres-job-store.js";
import { migrations } from "../../../src/adapters/stores/postgres-migrations.js";
import { StorageError } from "../../../src/core/errors.js";
import { jobOfKind } from "../../helpers/job-of-kind.js";
import { newJob, newTrainInput, newTrainingResult } from "../../helpers/new-job.js";
import { postgresServer } from "../../helpers/postgres-server.js";
import { waitFor } from "../../helpers/train-nocks.js";
import { jobStoreContract } from "./job-store-contract.js";
import { jobStoreFencingContract } from "./job-store-fencing-contract.js";
import { outboxContract } from "./outbox-contract.js";
import { jobStoreDamageContract, type DamageableStoreFixture } from "./job-store-damage-contract.js";

const server = postgresServer();

describe.runIf(server)("PostgresJobStore (a real PostgreSQL server)", () => {
  const open = (schema: string, now?: () => number) => new PostgresJobStore({ url: server!.url, schema, ...(now ? { now } : {}) });

  const fixture = (): DamageableStoreFixture => {
    const schema = server!.schema("contract");
    return {
      open: (options) => open(schema, options?.now),
      damage: async (id, part, text) => {
        // JSONB holds only JSON: text that is not JSON goes in as a JSON string, which fits no schema either.
        const value = part === "kind" ? text : JSON.stringify(isJson(text) ? JSON.parse(text) : text);
        await server!.query(`UPDATE "${schema}".jobs SET ${part} = $1${part === "kind" ? "" : "::jsonb"} WHERE id = $2`, [value, id]);
      },
    };
  };
  jobStoreContract(fixture);
  jobStoreDamageContract(fixture);
  jobStoreFencingContract(fixture);
  outboxContract(fixture);

  it("migrates a new schema once when several instances start at once, and records each step", async () => {
    const schema = server!.schema("migrate");
    const stores = Array.from({ length: 5 }, () => open(schema));
    const results = await Promise.all(stores.map((store, i) => store.enqueue(newJob({ key: "comment:1:0", commentId: i }))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const applied = await server!.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
    expect(applied.rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    for (const store of stores) await store.close();
  });

  it("refuses a schema migrated by a newer bot, saying what to do", async () => {
    const schema = server!.schema("newer");
    const first = open(schema);
    await first.get("warm-up");
    await first.close();
    await server!.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (999, 'from the future')`);
    const store = open(schema);
    await expect(store.get("x")).rejects.toThrow(`the job store's schema "${schema}" is at version 999, newer than this bot knows (${migrations.at(-1)!.version})`);
    await store.close();
  });

  it("claims past a row another transaction holds (SKIP LOCKED), without waiting for it", async () => {
    const schema = server!.schema("skip");
    const store = open(schema);
    const first = await store.enqueue(newJob({ key: "a" }));
    const second = await store.enqueue(newJob({ key: "b", group: "other" }));
    const { default: pg } = await import("pg");
    const holder = new pg.Client({ connectionString: server!.url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT id FROM "${schema}".jobs WHERE id = $1 FOR UPDATE`, [first.job.id]);
    expect((await store.claimNext({ worker: "w", kinds: ["train"] }))?.id).toBe(second.job.id);
    expect(await store.claimNext({ worker: "w", kinds: ["train"] })).toBeUndefined();
    await holder.query("ROLLBACK");
    await holder.end();
    expect((await store.claimNext({ worker: "w", kinds: ["train"] }))?.id).toBe(first.job.id);
    await store.close();
  });

  it("wakes watchers in other instances on enqueue and on a cancel request, and again after its connection is cut", async () => {
    const schema = server!.schema("watch");
    const [watcher, other] = [open(schema), open(schema)];
    let wakes = 0;
    const stop = watcher.watch(() => wakes++);
    await watcher.watching();
    const { job } = await other.enqueue(newJob());
    await waitFor(() => wakes >= 1, 10_000);
    await other.update(job.id, { cancelRequested: true, reason: "by @octocat" });
    await waitFor(() => wakes >= 2, 10_000);
    const before = wakes;
    await other.update(job.id, { reported: false, checkRunId: 3 }); // bookkeeping wakes nobody
    await other.enqueue(newJob({ key: "comment:2:0" }));
    await waitFor(() => wakes >= before + 1, 10_000);
    expect(wakes).toBe(before + 1);

    // The listening connection dies (a failover, a restart): the store reconnects and looks once.
    await server!.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [`LISTEN "${schema}.jobs"`]);
    await waitFor(() => wakes >= before + 2, 20_000);
    await watcher.watching();
    const afterReconnect = wakes;
    await other.enqueue(newJob({ key: "comment:3:0" }));
    await waitFor(() => wakes > afterReconnect, 10_000);
    stop();
    await watcher.close();
    await other.close();
  });

  it("stores NUL characters a hostile pipeline printed as U+FFFD instead of failing the write", async () => {
    const store = open(server!.schema("nul"));
    const { job } = await store.enqueue(newJob({ input: newTrainInput([{ file: "ml/params.yaml", key: "a\u0000b", path: ["a\u0000b"], type: "string", value: "1\u0000", literal: "\"1\u0000\"" }]) }));
    await store.transition(job.id, "queued", "running");
    const result = { ...newTrainingResult(), logTail: ["x\u0000y"], head: { metrics: { "ml/m\u0000.json": "{}" }, params: {} } };
    const ended = await store.transition(job.id, "running", "failed", { reason: "stage train failed: \u0000\u0000", result });
    expect(ended).toMatchObject({ state: "failed", reason: "stage train failed: \uFFFD\uFFFD", result: { logTail: ["x\uFFFDy"], head: { metrics: { "ml/m\uFFFD.json": "{}" } } } });
    expect(jobOfKind(await store.get(job.id), "train").input.overrides).toEqual([{ file: "ml/params.yaml", key: "a\uFFFDb", path: ["a\uFFFDb"], type: "string", value: "1\uFFFD", literal: "\"1\uFFFD\"" }]);
    await store.close();
  });

  it("reads a row that does not fit the job schema as a typed problem naming the store (password hidden), the job and the field", async () => {
    const schema = server!.schema("corrupt");
    const store = open(schema);
    const { job } = await store.enqueue(newJob());
    await server!.query(`UPDATE "${schema}".jobs SET kind = 'mine-bitcoin', input = '[1, 2]' WHERE id = $1`, [job.id]);
    const read = await store.get(job.id);
    expect(read).toMatchObject({ id: job.id, kind: null, damage: "record", problem: { path: "kind" } });
    expect(read && "problem" in read ? read.problem.file : "").toMatch(new RegExp(`^postgres://mlops:\\*\\*\\*@.* \\(job ${job.id}\\)$`));
    await store.close();
  });

  it("never shows the password: a refused sign-in names the store with the password redacted", async () => {
    const url = new URL(server!.url);
    url.password = "not-the-password-s3cret";
    const store = new PostgresJobStore({ url: url.toString(), schema: server!.schema("auth") });
    const error = await store.enqueue(newJob()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error?.message).toMatch(/^cannot enqueue comment:1:0 in the job store at postgres:\/\/mlops:\*\*\*@127\.0\.0\.1:\d+\/mlops_test: password authentication failed/);
    expect(error?.message).not.toContain("s3cret");
    await store.close();
  });

  it("says where it failed when the server cannot be reached, and tries again on the next call", async () => {
    const store = new PostgresJobStore({ url: "postgres://mlops:pw-123456@127.0.0.1:1/mlops_test", schema: "unreachable" });
    await expect(store.get("x")).rejects.toThrow(/^cannot read job x in the job store at postgres:\/\/mlops:\*\*\*@127\.0\.0\.1:1\/mlops_test: .*ECONNREFUSED/);
    await expect(store.get("x")).rejects.toThrow(/ECONNREFUSED/);
    await store.close();
    await expect(store.get("x")).rejects.toThrow("is closed");
  });
});

describe("PostgresJobStore options", () => {
  it("refuses a schema name it would have to quote, and a URL that is not PostgreSQL's, without quoting it", async () => {
    expect(() => new PostgresJobStore({ url: "postgres://h/db", schema: 'x"; DROP TABLE jobs; --' })).toThrow(StorageError);
    const store = new PostgresJobStore({ url: "postgres://user:s3cret@[::1/db" });
    await expect(store.get("x")).rejects.toThrow("the job store URL cannot be read as a URL (it is not repeated here: it may hold a password)");
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
