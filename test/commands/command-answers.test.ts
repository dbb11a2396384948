import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { COMMAND_CLAIM_MS, commandAnswers } from "../../src/commands/command-answers.js";
import type { CodeHost } from "../../src/ports/code-host.js";
import { tempDir } from "../helpers/temp-dir.js";

const stores: SqliteJobStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe("commandAnswers: a delivery paused past its command claims", () => {
  it("answers nothing once a redelivery claimed the command again; the redelivery's answer is the only one posted", async () => {
    let t = 1_800_000_000_000;
    const file = path.join(tempDir(), "jobs.sqlite");
    const open = () => {
      const store = new SqliteJobStore(file, { now: () => t });
      stores.push(store);
      return store;
    };
    const posted: string[] = [];
    const host = {
      owner: "octo-org",
      repo: "ml-repo",
      comment: (_issue: number, body: string) => Promise.resolve(void posted.push(body)),
    } as unknown as CodeHost;
    const log = pino({ level: "silent" });
    const [first, redelivery] = [open(), open()].map((store) => commandAnswers({ store, host, installationId: 42, log }));

    expect(await first!.claim("comment:1:0")).toBe(true);
    expect(await redelivery!.claim("comment:1:0")).toBe(false); // being handled
    t += COMMAND_CLAIM_MS + 1; // the first delivery stalls past its claim; GitHub redelivers
    expect(await redelivery!.claim("comment:1:0")).toBe(true);

    expect(await first!.complete(["comment:1:0"], [{ type: "comment", issue: 1, body: "stale answer" }])).toBe("lost-claim");
    await first!.forget(["comment:1:0"]); // as after a failure: the redelivery's claim is not released
    expect(await first!.claim("comment:1:0")).toBe(false);
    expect(await redelivery!.complete(["comment:1:0"], [{ type: "comment", issue: 1, body: "answer" }])).toBe("written");
    expect(posted).toEqual(["answer"]);
    expect(await open().outbox.pending()).toEqual([]);
    expect(await first!.claim("comment:1:0")).toBe(false); // answered for good
  });
});
