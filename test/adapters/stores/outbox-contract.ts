import { expect, it } from "vitest";
import type { OutboxMessage } from "../../../src/ports/outbox.js";
import { storedMessages } from "../../helpers/stored-messages.js";
import type { JobStoreFixture } from "./job-store-contract.js";

const repo = { owner: "octo-org", name: "ml-repo", installationId: 42 };
const reply = (key: string, body = "@octocat\n\n> /help\n\nthe answer"): OutboxMessage => ({ key, repo, action: { type: "comment", issue: 1, body } });
const eyes: OutboxMessage = { key: "react:7:eyes", repo, action: { type: "react", commentId: 7, reaction: "eyes" } };

function manualClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/**
 * What every store with an outbox (`JobStore.outbox`) must do: provisional command claims that
 * lapse unless completed, completion and messages in one step, due messages leased to one worker
 * at a time, retries when due, and what outlives a reopen (a restart). `fresh` gives new storage.
 */
export function outboxContract(fresh: () => JobStoreFixture): void {
  it("claims a command once; a claim with no outcome lapses, a completed one never does", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).outbox!.claimCommand("comment:7:0", 1000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    clock.advance(999);
    expect(await b.outbox!.claimCommand("comment:7:0", 1000)).toBeUndefined();
    clock.advance(2); // the process that claimed it died before storing an answer: a redelivery runs it
    const again = await b.outbox!.claimCommand("comment:7:0", 1000);
    expect(again).toMatchObject({ key: "comment:7:0", claim: expect.any(String) });
    expect(again!.claim).not.toBe(claims.find(Boolean)!.claim);
    expect(await b.outbox!.complete({ commands: [again!], messages: [], worker: "b", leaseMs: 1000 })).toEqual({ status: "written", messages: [] });
    clock.advance(10_000_000);
    expect(await a.outbox!.claimCommand("comment:7:0", 1000)).toBeUndefined();
    expect(await a.markCommandSeen("comment:7:0")).toBe(false);
    // forgetCommand, or its claimer's releaseCommand, releases a claim (a command that failed before it acted).
    expect(await a.outbox!.claimCommand("comment:7:1", 1000)).toBeDefined();
    await a.forgetCommand("comment:7:1");
    const reclaimed = await b.outbox!.claimCommand("comment:7:1", 1000);
    expect(reclaimed).toBeDefined();
    expect(await b.outbox!.releaseCommand(reclaimed!)).toBe("written");
    expect(await a.outbox!.claimCommand("comment:7:1", 1000)).toBeDefined();
    await a.close();
    await b.close();
  });

  it("stores a command's answer once, leased to the worker that stored it, and keeps hostile text as is", async () => {
    const clock = manualClock();
    const store = fresh().open(clock);
    const hostile = "@org/team \u0000 https://evil.example ✅ ‚úÖ ".repeat(2000);
    const added = storedMessages(await store.outbox!.complete({ commands: [], messages: [eyes, reply("reply:1:a", hostile)], worker: "w", leaseMs: 1000 }));
    expect(added.map((m) => [m.key, m.attempts, m.repo, m.action.type])).toEqual([
      ["react:7:eyes", 0, repo, "react"],
      ["reply:1:a", 0, repo, "comment"],
    ]);
    expect(added[1]!.action).toEqual({ type: "comment", issue: 1, body: expect.stringContaining("@org/team") });
    expect((added[1]!.action as { body: string }).body.replaceAll("\uFFFD", "\u0000")).toBe(hostile);
    // Stored already: not added again (a second 👀 for one comment).
    expect(await store.outbox!.complete({ commands: [], messages: [eyes], worker: "w", leaseMs: 1000 })).toEqual({ status: "written", messages: [] });
    // Leased to the worker delivering them now: no other worker takes them before the lease lapses.
    expect(await store.outbox!.claimDue({ worker: "x", leaseMs: 1000, limit: 10 })).toEqual([]);
    clock.advance(1001);
    expect((await store.outbox!.claimDue({ worker: "x", leaseMs: 1000, limit: 10 })).map((m) => m.key)).toEqual(["react:7:eyes", "reply:1:a"]);
    await store.close();
  });

  it("gives each due message to one worker, retries it when due, and forgets it once delivered or given up", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    await a.outbox!.complete({ commands: [], messages: Array.from({ length: 12 }, (_, i) => reply(`reply:1:${i}`)), worker: "w", leaseMs: 0 });
    clock.advance(1);
    const taken = await Promise.all([a, b, a, b].map((s, i) => s.outbox!.claimDue({ worker: `w${i}`, leaseMs: 1000, limit: 4 })));
    const ids = taken.flat().map((m) => m.id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    const [first, second, third] = taken.flat();
    expect(await a.outbox!.delivered(first!.id, first!.claim)).toBe("written");
    expect(await b.outbox!.retryAt(second!.id, second!.claim, { error: "HttpError: 502", at: clock.now() + 5000 })).toBe("written");
    expect(await a.outbox!.giveUp(third!.id, third!.claim, "HttpError: 404 Not Found")).toBe("written");
    clock.advance(1001); // the other leases lapse: nine due again
    expect((await b.outbox!.claimDue({ worker: "b", leaseMs: 1000, limit: 50 })).map((m) => m.id)).not.toContain(second!.id);
    clock.advance(5000);
    const again = await a.outbox!.claimDue({ worker: "a", leaseMs: 1000, limit: 50 });
    expect(again.map((m) => m.id)).toContain(second!.id);
    expect(again.find((m) => m.id === second!.id)?.attempts).toBe(1);
    expect(again.map((m) => m.id)).not.toContain(first!.id);
    expect(again.map((m) => m.id)).not.toContain(third!.id);
    await a.close();
    await b.close();
  });

  it("completes the commands and stores their answer together, and both outlive a reopen (a restart)", async () => {
    const storage = fresh();
    const store = storage.open();
    const claims = [await store.outbox!.claimCommand("comment:9:0", 60_000), await store.outbox!.claimCommand("comment:9:1", 60_000)];
    expect(claims.map((c) => c?.key)).toEqual(["comment:9:0", "comment:9:1"]);
    storedMessages(await store.outbox!.complete({ commands: claims.map((c) => c!), messages: [reply("reply:1:z")], worker: "gone", leaseMs: 0 }));
    await store.close();
    const reopened = storage.open();
    expect(await reopened.outbox!.claimCommand("comment:9:0", 60_000)).toBeUndefined();
    expect(await reopened.outbox!.claimCommand("comment:9:1", 60_000)).toBeUndefined();
    expect((await reopened.outbox!.pending()).map((m) => m.key)).toEqual(["reply:1:z"]);
    await new Promise((r) => setTimeout(r, 5));
    const due = await reopened.outbox!.claimDue({ worker: "new", leaseMs: 1000, limit: 10 });
    expect(due.map((m) => m.action)).toEqual([reply("reply:1:z").action]);
    expect(await reopened.outbox!.delivered(due[0]!.id, due[0]!.claim)).toBe("written");
    expect(await reopened.outbox!.pending()).toEqual([]);
    await reopened.close();
  });

  it("refuses every write of a holder whose lease lapsed and whose message another worker took: the new holder's outcome stands", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const [stale] = storedMessages(await a.outbox!.complete({ commands: [], messages: [reply("reply:3:a")], worker: "a", leaseMs: 1000 }));
    expect(await a.outbox!.renew(stale!.id, stale!.claim, 1000)).toBe("written"); // its own lease, still current
    clock.advance(1001); // a was paused past its lease: b takes the message
    const [taken] = await b.outbox!.claimDue({ worker: "b", leaseMs: 1000, limit: 10 });
    expect(taken).toMatchObject({ id: stale!.id, key: "reply:3:a" });
    expect(taken!.claim).not.toBe(stale!.claim);
    // a wakes up: none of its writes lands, so it can neither end the message nor hand it on.
    expect(await a.outbox!.renew(stale!.id, stale!.claim, 1000)).toBe("lost-claim");
    expect(await a.outbox!.retryAt(stale!.id, stale!.claim, { error: "HttpError: 502", at: clock.now() })).toBe("lost-claim");
    expect(await a.outbox!.giveUp(stale!.id, stale!.claim, "HttpError: 404")).toBe("lost-claim");
    expect(await a.outbox!.delivered(stale!.id, stale!.claim)).toBe("lost-claim");
    expect(await a.outbox!.claimDue({ worker: "c", leaseMs: 1000, limit: 10 })).toEqual([]); // still b's: nobody else sends it meanwhile
    expect((await a.outbox!.pending()).map((m) => [m.key, m.attempts])).toEqual([["reply:3:a", 0]]);
    // b's outcome stands, and a stale write after it changes nothing.
    expect(await b.outbox!.retryAt(taken!.id, taken!.claim, { error: "HttpError: 502", at: clock.now() + 5000 })).toBe("written");
    expect(await a.outbox!.giveUp(stale!.id, stale!.claim, "HttpError: 404")).toBe("lost-claim");
    expect(await b.outbox!.delivered(taken!.id, taken!.claim)).toBe("lost-claim"); // its lease ended with the retry
    clock.advance(5000);
    const [again] = await a.outbox!.claimDue({ worker: "a", leaseMs: 1000, limit: 10 });
    expect(again).toMatchObject({ id: stale!.id, attempts: 1 });
    expect(await a.outbox!.delivered(again!.id, again!.claim)).toBe("written");
    expect(await b.outbox!.giveUp(taken!.id, taken!.claim, "late")).toBe("lost-claim");
    expect(await a.outbox!.pending()).toEqual([]);
    await a.close();
    await b.close();
  });

  it("stores nothing of an answer whose command claim lapsed and was claimed again: the new claimer's answer is the one", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const stale = [(await a.outbox!.claimCommand("comment:4:0", 1000))!, (await a.outbox!.claimCommand("comment:4:1", 1000))!];
    clock.advance(1001); // a's delivery was paused past its claims; a redelivery reaches b
    const taken = (await b.outbox!.claimCommand("comment:4:0", 1000))!;
    expect(taken.claim).not.toBe(stale[0]!.claim);

    // a wakes up and stores its answer: refused as a whole, with no claim made final and no reply kept.
    expect(await a.outbox!.complete({ commands: stale, messages: [reply("reply:4:a")], worker: "a", leaseMs: 1000 })).toEqual({ status: "lost-claim" });
    expect(await a.outbox!.complete({ commands: [stale[0]!], messages: [], worker: "a", leaseMs: 1000 })).toEqual({ status: "lost-claim" });
    expect(await a.outbox!.pending()).toEqual([]);
    const other = await b.outbox!.claimCommand("comment:4:1", 1000); // still provisional (and lapsed): not made final by a's try
    expect(other).toBeDefined();

    // a's delivery fails and releases its claims: b's are left alone (no third delivery may claim them).
    expect(await a.outbox!.releaseCommand(stale[0]!)).toBe("lost-claim");
    expect(await a.outbox!.releaseCommand(stale[1]!)).toBe("lost-claim");
    expect(await a.outbox!.claimCommand("comment:4:0", 1000)).toBeUndefined();
    expect((await b.outbox!.complete({ commands: [taken, other!], messages: [reply("reply:4:b")], worker: "b", leaseMs: 0 })).status).toBe("written");
    expect(await b.outbox!.releaseCommand(taken)).toBe("lost-claim"); // final: answered
    expect(await a.outbox!.complete({ commands: stale, messages: [reply("reply:4:late")], worker: "a", leaseMs: 1000 })).toEqual({ status: "lost-claim" });
    expect((await a.outbox!.pending()).map((m) => m.key)).toEqual(["reply:4:b"]);
    clock.advance(10_000_000);
    expect(await a.outbox!.claimCommand("comment:4:0", 1000)).toBeUndefined(); // b's answer made it final
    await a.close();
    await b.close();
  });
}
