import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { deliverMessages, OUTBOX_LEASE_MS } from "../../src/jobs/deliver-outbox.js";
import type { CodeHost } from "../../src/ports/code-host.js";
import type { Logger } from "../../src/ports/logger.js";
import type { OutboxMessage } from "../../src/ports/outbox.js";
import { storedMessages } from "../helpers/stored-messages.js";
import { tempDir } from "../helpers/temp-dir.js";

const repo = { owner: "octo-org", name: "ml-repo", installationId: 42 };
const reply = (key: string, body: string): OutboxMessage => ({ key, repo, action: { type: "comment", issue: 1, body } });

/** A logger that keeps its lines (message and bindings), to check what was said and how often. */
function recordingLogger(lines: Array<{ level: string; msg: string; bindings: Record<string, unknown> }>, bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => lines.push({ level, msg: typeof obj === "string" ? obj : (msg ?? ""), bindings });
  return { info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug"), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}

const stores: SqliteJobStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe("deliverMessages, fenced by each message's lease", () => {
  it("stops writing about a message another worker took while this one was paused, and never performs one it lost", async () => {
    let t = 1_800_000_000_000;
    const now = () => t;
    const file = path.join(tempDir(), "jobs.sqlite");
    const [mine, other] = [new SqliteJobStore(file, { now }), new SqliteJobStore(file, { now })];
    stores.push(mine, other);
    const leased = storedMessages(await mine.outbox.complete({ commands: [], messages: [reply("reply:1:a", "first"), reply("reply:1:b", "second")], worker: "a", leaseMs: OUTBOX_LEASE_MS }));
    let takenOver: string[] = [];
    const posted: string[] = [];
    const host = {
      comment: async (_issue: number, body: string) => {
        posted.push(body);
        if (body !== "first") return;
        t += OUTBOX_LEASE_MS + 1; // this worker is paused past its lease mid-delivery; another takes both messages
        takenOver = (await other.outbox.claimDue({ worker: "b", leaseMs: OUTBOX_LEASE_MS, limit: 10 })).map((m) => m.key);
      },
    } as unknown as CodeHost;
    const lines: Array<{ level: string; msg: string; bindings: Record<string, unknown> }> = [];

    const delivered = await deliverMessages({ outbox: mine.outbox, hostFor: () => Promise.resolve(host), log: recordingLogger(lines), now }, leased);

    expect(takenOver).toEqual(["reply:1:a", "reply:1:b"]);
    expect(delivered).toBe(0); // its "delivered" mark was refused: the holder now decides
    expect(posted).toEqual(["first"]); // the second was never performed by the worker that lost it
    const lost = lines.filter((l) => l.msg.startsWith("lost the answer's lease"));
    expect(lost.map((l) => [l.level, l.bindings.key])).toEqual([
      ["warn", "reply:1:a"],
      ["warn", "reply:1:b"],
    ]);
    // Both stay pending, leased to the worker that took them over (nothing marked them delivered or moved them).
    expect((await other.outbox.pending()).map((m) => [m.key, m.attempts])).toEqual([
      ["reply:1:a", 0],
      ["reply:1:b", 0],
    ]);
    expect(await mine.outbox.claimDue({ worker: "c", leaseMs: OUTBOX_LEASE_MS, limit: 10 })).toEqual([]);
  });

  it("renews a lease half spent before performing, so a slow but live batch keeps its messages", async () => {
    let t = 1_800_000_000_000;
    const now = () => t;
    const file = path.join(tempDir(), "jobs.sqlite");
    const [mine, other] = [new SqliteJobStore(file, { now }), new SqliteJobStore(file, { now })];
    stores.push(mine, other);
    const leased = storedMessages(await mine.outbox.complete({ commands: [], messages: [reply("reply:2:a", "first"), reply("reply:2:b", "second")], worker: "a", leaseMs: OUTBOX_LEASE_MS }));
    const posted: string[] = [];
    let stolen: string[] | undefined;
    const host = {
      comment: async (_issue: number, body: string) => {
        posted.push(body);
        if (body === "first") t += OUTBOX_LEASE_MS * 0.75; // slow (GitHub's throttle), within the lease
        if (body !== "second") return;
        t += OUTBOX_LEASE_MS * 0.5; // past the first lease: only the renewal keeps the message here
        stolen = (await other.outbox.claimDue({ worker: "b", leaseMs: OUTBOX_LEASE_MS, limit: 10 })).map((m) => m.key);
      },
    } as unknown as CodeHost;
    const lines: Array<{ level: string; msg: string; bindings: Record<string, unknown> }> = [];
    expect(await deliverMessages({ outbox: mine.outbox, hostFor: () => Promise.resolve(host), log: recordingLogger(lines), now }, leased)).toBe(2);
    expect(stolen).toEqual([]);
    expect(posted).toEqual(["first", "second"]);
    expect(await other.outbox.pending()).toEqual([]);
    expect(lines.filter((l) => l.level !== "info")).toEqual([]);
  });
});
