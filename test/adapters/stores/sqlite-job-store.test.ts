import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../../src/adapters/stores/sqlite-job-store.js";
import { StorageError } from "../../../src/core/errors.js";
import { newJob } from "../../helpers/new-job.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { jobStoreContract } from "./job-store-contract.js";
import { jobStoreFencingContract } from "./job-store-fencing-contract.js";
import { outboxContract } from "./outbox-contract.js";
import { jobStoreDamageContract, type DamageableStoreFixture } from "./job-store-damage-contract.js";

describe("SqliteJobStore", () => {
  const fixture = (): DamageableStoreFixture => {
    const file = path.join(tempDir(), "jobs.sqlite");
    return {
      open: (options) => new SqliteJobStore(file, options),
      damage: (id, part, text) => {
        const db = new Database(file);
        db.prepare(`UPDATE jobs SET ${part} = ? WHERE id = ?`).run(text, id);
        db.close();
        return Promise.resolve();
      },
    };
  };
  jobStoreContract(fixture);
  jobStoreDamageContract(fixture);
  jobStoreFencingContract(fixture);
  outboxContract(fixture);

  it("adds the lease column to a database made before leases", async () => {
    const file = path.join(tempDir(), "jobs.sqlite");
    const old = new Database(file);
    old.exec("CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL UNIQUE, grp TEXT, state TEXT NOT NULL, owner TEXT NOT NULL, repo TEXT NOT NULL, installation_id INTEGER NOT NULL, pr INTEGER, head_sha TEXT NOT NULL, head_ref TEXT, base_ref TEXT, base_sha TEXT, requested_by TEXT NOT NULL, comment_id INTEGER, input TEXT NOT NULL, check_run_id INTEGER, reason TEXT, result TEXT, cancel_requested INTEGER NOT NULL DEFAULT 0, reported INTEGER NOT NULL DEFAULT 0, worker TEXT, seq INTEGER NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER)");
    old.close();
    const [a, b] = [new SqliteJobStore(file), new SqliteJobStore(file)];
    await a.enqueue(newJob());
    expect(await b.claimNext({ worker: "b", kinds: ["train"], leaseMs: 1000 })).toMatchObject({ leaseExpiresAt: expect.any(Number) });
    await a.close();
    await b.close();
  });

  it("explains where it failed when the file cannot be opened", () => {
    const dir = tempDir();
    expect(() => new SqliteJobStore(dir)).toThrow(StorageError);
    expect(() => new SqliteJobStore(dir)).toThrow(`cannot open the job store at ${dir}`);
  });
});
