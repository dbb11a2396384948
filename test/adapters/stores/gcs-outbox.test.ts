import { Storage, type File } from "@google-cloud/storage";
import { describe, expect, it } from "vitest";
import { GcsJobObjects } from "../../../src/adapters/stores/gcs-job-objects.js";
import { GcsJobStore } from "../../../src/adapters/stores/gcs-job-store.js";
import { writeJsonIf } from "../../../src/adapters/stores/gcs-json-objects.js";
import { GcsOutbox } from "../../../src/adapters/stores/gcs-outbox.js";
import { parseGcsUrl } from "../../../src/core/parse-gcs-url.js";
import type { OutboxMessage } from "../../../src/ports/outbox.js";
import { storedMessages } from "../../helpers/stored-messages.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { waitFor } from "../../helpers/train-nocks.js";

const gcs = gcsEmulator();
const repo = { owner: "octo-org", name: "ml-repo", installationId: 42 };
const reply = (key: string): OutboxMessage => ({ key, repo, action: { type: "comment", issue: 1, body: `answer ${key}` } });
const eyes: OutboxMessage = { key: "react:7:eyes", repo, action: { type: "react", commentId: 7, reaction: "eyes" } };

function manualClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** The store's objects, with a hook that runs before the write that commits an answer (an `outbox/<batch>.json`). */
class HookedObjects extends GcsJobObjects {
  beforeCommit?: () => Promise<void>;

  override async file(name: string): Promise<File> {
    const file = await super.file(name);
    const hook = this.beforeCommit;
    if (hook && /^outbox\/[^/]+\.json$/.test(name)) {
      const save = file.save.bind(file);
      file.save = (async (...args: Parameters<File["save"]>) => {
        await hook();
        return save(...args);
      }) as File["save"];
    }
    return file;
  }
}

describe.runIf(gcs)("GcsOutbox (fake-gcs-server)", () => {
  const bucket = () => new Storage({ apiEndpoint: gcs!.endpoint }).bucket(gcs!.bucket);
  const prefixOf = (url: string) => url.slice(`gs://${gcs!.bucket}/`.length);
  const open = (url: string, now?: () => number) => GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint, ...(now ? { now } : {}) });
  /** An outbox of one "process" whose commit can be held or made to fail; `commitMs` as the store's, or shorter. */
  const hooked = (url: string, now: () => number, commitMs?: number) => {
    const parsed = parseGcsUrl(url);
    if (!parsed.ok) throw new Error(parsed.error);
    const objects = new HookedObjects({ ...parsed.value, apiEndpoint: gcs!.endpoint });
    return { objects, outbox: new GcsOutbox(objects, now, (_what, fn) => fn(), commitMs) };
  };
  async function objects(url: string): Promise<string[]> {
    const [files] = await bucket().getFiles({ prefix: `${prefixOf(url)}/` });
    return files.map((f) => f.name.slice(prefixOf(url).length + 1)).sort();
  }
  async function readJsonObject(url: string, name: string): Promise<Record<string, unknown>> {
    const [body] = await bucket().file(`${prefixOf(url)}/${name}`).download();
    return JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  }

  it("runs on an emulator that really refuses a write whose generation precondition fails (so the race tests can fail)", async () => {
    const file = bucket().file(`${prefixOf(gcs!.url("preconditions"))}/x`);
    await file.save("first", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(file.save("second", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } })).rejects.toMatchObject({ code: 412 });
    const [meta] = await file.getMetadata();
    await expect(file.save("stale", { resumable: false, preconditionOpts: { ifGenerationMatch: Number(meta.generation) - 1 } })).rejects.toMatchObject({ code: 412 });
    expect(await writeJsonIf(file, { rev: "mine" }, String(meta.generation))).toBe(true);
    expect(await writeJsonIf(file, { rev: "theirs" }, String(meta.generation))).toBe(false); // the generation moved on
    expect((await file.download())[0].toString("utf8")).toBe('{"rev":"mine"}');
  });

  it("refuses the late commit of a writer whose claim lapsed and was taken over: the command is answered once, by the new claimer", async () => {
    const clock = manualClock();
    const url = gcs!.url("late-commit");
    const slow = hooked(url, clock.now);
    const slowClaim = (await slow.outbox.claimCommand("comment:5:0", 1000))!;
    expect(slowClaim).toBeDefined();
    let resume!: () => void;
    const held = new Promise<void>((r) => (resume = r));
    slow.objects.beforeCommit = () => held;
    const late = slow.outbox.complete({ commands: [slowClaim], messages: [reply("reply:5:slow")], worker: "slow", leaseMs: 1000 });
    await waitFor(async () => (await objects(url)).includes("outbox-keys/reply%3A5%3Aslow"), 10_000); // about to commit

    const other = open(url, clock.now);
    expect(await other.outbox.pending()).toEqual([]); // nothing of the slow answer counts yet
    expect(await other.outbox.claimCommand("comment:5:0", 1000)).toBeUndefined(); // its claim holds...
    clock.advance(1001);
    const otherClaim = await other.outbox.claimCommand("comment:5:0", 1000); // ...until it lapses: its batch is abandoned
    expect(otherClaim).toBeDefined();
    resume();
    await expect(late).rejects.toThrow("another process abandoned this answer while it was being stored");
    storedMessages(await other.outbox.complete({ commands: [otherClaim!], messages: [reply("reply:5:other")], worker: "other", leaseMs: 0 }));
    clock.advance(1);
    expect((await other.outbox.claimDue({ worker: "w", leaseMs: 1000, limit: 10 })).map((m) => m.key)).toEqual(["reply:5:other"]);
    clock.advance(10_000_000);
    expect(await slow.outbox.claimCommand("comment:5:0", 1000)).toBeUndefined();
  });

  it("answers once when the writer stores its answer just before a claimer finds its claim lapsed", async () => {
    const clock = manualClock();
    const url = gcs!.url("commit-wins");
    const writer = hooked(url, clock.now);
    const claim = (await writer.outbox.claimCommand("comment:6:0", 1000))!;
    expect(claim).toBeDefined();
    await writer.outbox.complete({ commands: [claim], messages: [reply("reply:6:a")], worker: "a", leaseMs: 0 });
    clock.advance(5000); // the claim's own deadline passed, but its batch is stored: final
    const claims = await Promise.all(Array.from({ length: 4 }, () => open(url, clock.now).outbox.claimCommand("comment:6:0", 1000)));
    expect(claims).toEqual([undefined, undefined, undefined, undefined]);
    expect((await open(url, clock.now).outbox.pending()).map((m) => m.key)).toEqual(["reply:6:a"]);
  });

  it("frees the key of an answer whose writer died before storing it, and drops its marker once the commit window passed", async () => {
    const clock = manualClock();
    const url = gcs!.url("dead-writer");
    const dead = hooked(url, clock.now, 0);
    dead.objects.beforeCommit = () => Promise.reject(new Error("the process died"));
    await expect(dead.outbox.complete({ commands: [], messages: [eyes], worker: "dead", leaseMs: 1000 })).rejects.toThrow("the process died");
    await expect(dead.outbox.complete({ commands: [], messages: [reply("reply:7:x")], worker: "dead", leaseMs: 1000 })).rejects.toThrow("the process died");
    expect((await objects(url)).filter((n) => n.startsWith("unsent/"))).toHaveLength(2);

    // The redelivery stores its 👀 again: the key's reservation named a batch that was never stored.
    const store = open(url, clock.now);
    expect(storedMessages(await store.outbox.complete({ commands: [], messages: [eyes], worker: "w", leaseMs: 0 })).map((m) => m.key)).toEqual(["react:7:eyes"]);
    // A store's poll (once the markers' due hints passed) drops the marker of the abandoned 👀
    // batch, and leaves a young marker alone (its writer may still store it)...
    clock.advance(1001);
    expect((await store.outbox.claimDue({ worker: "w", leaseMs: 1000, limit: 10 })).map((m) => m.key)).toEqual(["react:7:eyes"]);
    expect((await objects(url)).filter((n) => n.startsWith("unsent/"))).toHaveLength(2);
    // ...and once it is past the commit window (0 here), the batch is abandoned and the marker dropped.
    dead.objects.beforeCommit = undefined;
    expect(await dead.outbox.claimDue({ worker: "d", leaseMs: 1000, limit: 10 })).toEqual([]);
    const left = await objects(url);
    expect(left.filter((n) => n.startsWith("unsent/"))).toHaveLength(1); // the stored 👀's, leased to w
    const batches = await Promise.all(left.filter((n) => n.startsWith("outbox/")).map((n) => readJsonObject(url, n)));
    expect(batches.map((b) => b.outcome).sort()).toEqual(["abandoned", "abandoned", "stored"]);
    expect(await store.outbox.pending()).toMatchObject([{ key: "react:7:eyes", attempts: 0 }]);
  });

  it("polls only batches whose marker says a message may be due, and brings that forward when a delivery fails", async () => {
    const clock = manualClock();
    const url = gcs!.url("due-hints");
    const store = open(url, clock.now);
    const [held] = storedMessages(await store.outbox.complete({ commands: [], messages: [reply("reply:9:a")], worker: "w", leaseMs: 60_000 }));
    const marker = bucket().file(`${prefixOf(url)}/unsent/${held!.id.split(".")[0]}`);
    expect((await marker.getMetadata())[0].metadata).toEqual({ dueAt: String(clock.now() + 60_000) });
    expect(await store.outbox.retryAt(held!.id, held!.claim, { error: "HttpError: 502", at: clock.now() + 1000 })).toBe("written"); // GitHub was down
    expect((await marker.getMetadata())[0].metadata).toEqual({ dueAt: String(clock.now() + 1000) });
    clock.advance(999);
    expect(await store.outbox.claimDue({ worker: "x", leaseMs: 1000, limit: 10 })).toEqual([]);
    clock.advance(1);
    expect((await store.outbox.claimDue({ worker: "x", leaseMs: 1000, limit: 10 })).map((m) => [m.key, m.attempts])).toEqual([["reply:9:a", 1]]);
  });

  it("gives up a message whose stored action is damaged instead of performing it", async () => {
    const clock = manualClock();
    const url = gcs!.url("damaged");
    const store = open(url, clock.now);
    const [first] = storedMessages(await store.outbox.complete({ commands: [], messages: [reply("reply:8:a"), eyes], worker: "w", leaseMs: 0 }));
    const name = `outbox/${first!.id.split(".")[0]}.json`;
    const batch = (await readJsonObject(url, name)) as { messages: Array<{ action: unknown }> };
    batch.messages[0]!.action = { type: "comment", issue: -1, body: 5 }; // a hand edit, a bad write
    await bucket().file(`${prefixOf(url)}/${name}`).save(JSON.stringify(batch), { resumable: false });
    clock.advance(1);
    expect((await store.outbox.claimDue({ worker: "w", leaseMs: 1000, limit: 10 })).map((m) => m.key)).toEqual(["react:7:eyes"]);
    expect(((await readJsonObject(url, name)) as typeof batch).messages[0]).toMatchObject({ state: "given_up", lastError: "the stored action is damaged" });
  });

  it("keeps hostile keys and ids inside its own folders", async () => {
    const url = gcs!.url("hostile");
    const store = open(url);
    const key = "comment:../../facts/x:0";
    const claim = await store.outbox.claimCommand(key, 60_000);
    expect(claim).toMatchObject({ key });
    const message = { key: "react:../../jobs/x.json:eyes", repo, action: { type: "react", commentId: 9, reaction: "eyes" } } as const;
    const [added] = storedMessages(await store.outbox.complete({ commands: [claim!], messages: [message], worker: "w", leaseMs: 60_000 }));
    for (const forged of ["../../facts/x.0", `${added!.id.split(".")[0]}.99`, "00000000-0000-0000-0000-000000000000.0", "x"]) {
      for (const claim of [added!.claim, ""]) {
        expect(await store.outbox.delivered(forged, claim)).toBe("lost-claim");
        expect(await store.outbox.giveUp(forged, claim, "no")).toBe("lost-claim");
      }
    }
    expect(await store.outbox.pending()).toMatchObject([{ id: added!.id, key: message.key }]);
    const names = await objects(url);
    expect(names.filter((n) => !/^(commands|outbox|outbox-keys|unsent)\/[^/]+$/.test(n))).toEqual([]);
    expect(names).toContain("commands/comment%3A..%2F..%2Ffacts%2Fx%3A0");
    expect(names).toContain("outbox-keys/react%3A..%2F..%2Fjobs%2Fx.json%3Aeyes");
    expect(await store.outbox.claimCommand(key, 60_000)).toBeUndefined();
  });
});
