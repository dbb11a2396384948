import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GcsJobStore } from "../../../src/adapters/stores/gcs-job-store.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { ROOT } from "../../helpers/example-repo.js";
import { newJob } from "../../helpers/new-job.js";

const gcs = gcsEmulator();
// Each claim, enqueue and answer below is contended by both racers, let go together: 16 jobs are
// 16 real races (each claim reads every open job, so the claim race costs jobs squared: 40 took
// 80 s on a loaded machine, 16 take a fifth of that).
const JOBS = 16;
const COMMENTS = 10;

/**
 * Two racer processes (test/helpers/gcs-store-racer.ts) on one store, let go together once both
 * are loaded (however long that takes on a busy machine): what each won.
 */
async function race(mode: "claim" | "enqueue" | "answer", url: string, keys: string[] = []): Promise<[string[], string[]]> {
  const racers = ["host-a:1:a", "host-b:1:b"].map((worker) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/gcs-store-racer.ts", mode, url, gcs!.endpoint, worker, ...keys], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    const ready = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.startsWith("ready\n")) resolve();
      }),
    );
    child.stdin.on("error", () => undefined); // a racer that died says so below, by its exit code
    const done = new Promise<string[]>((resolve, reject) =>
      child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as string[]) : reject(new Error(`racer ${worker} exited with ${code}: ${out}`)))),
    );
    return { child, ready, done };
  });
  // Both loaded, or one failed first (its error ends the test).
  await Promise.race([Promise.all(racers.map((r) => r.ready)), Promise.all(racers.map((r) => r.done))]);
  for (const { child } of racers) child.stdin.end("go\n");
  const [a, b] = await Promise.all(racers.map((r) => r.done));
  return [a!, b!];
}

describe.runIf(gcs)("GcsJobStore shared by two processes (fake-gcs-server)", () => {
  it("hands every queued job to exactly one of two processes claiming at once", async () => {
    const url = gcs!.url("claim-race");
    const store = GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint });
    const keys = Array.from({ length: JOBS }, (_, i) => `comment:${i}:0`);
    for (const key of keys) await store.enqueue(newJob({ key, group: key }));
    const [a, b] = await race("claim", url);
    expect([...a, ...b].sort()).toEqual([...keys].sort());
    expect(a.filter((key) => b.includes(key))).toEqual([]);
    const running = await store.list({ state: "running" });
    expect(running).toHaveLength(JOBS);
    for (const job of running) expect(job.worker).toBe(a.includes(job.key) ? "host-a:1:a" : "host-b:1:b");
  }, 180_000);

  it("creates each job once when two processes enqueue the same commands at once", async () => {
    const url = gcs!.url("enqueue-race");
    const keys = Array.from({ length: JOBS }, (_, i) => `comment:${i}:0`);
    const [a, b] = await race("enqueue", url, keys);
    expect([...a, ...b].sort()).toEqual([...keys].sort());
    expect(a.filter((key) => b.includes(key))).toEqual([]);
    expect(await GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint }).list({})).toHaveLength(JOBS);
  }, 180_000);

  it("answers each command once when two processes handle the same comments at once (a redelivery racing the first delivery)", async () => {
    const url = gcs!.url("answer-race");
    const comments = Array.from({ length: COMMENTS }, (_, i) => String(7000 + i));
    const [a, b] = await race("answer", url, comments);
    const commands = comments.flatMap((c) => [`comment:${c}:0`, `comment:${c}:1`]);
    expect([...a, ...b].sort()).toEqual([...commands].sort());
    expect(a.filter((key) => b.includes(key))).toEqual([]);

    const store = GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint });
    const stored = await store.outbox.pending();
    const reactions = stored.filter((m) => m.action.type === "react").map((m) => m.key);
    expect(reactions.sort()).toEqual(comments.map((c) => `react:${c}:eyes`).sort()); // one 👀 per comment, even when both claimed some of it
    const answered = stored.flatMap((m) => (m.action.type === "comment" ? m.action.body.split(" ").slice(2) : []));
    expect(answered.sort()).toEqual([...commands].sort()); // each command in exactly one stored reply
    for (const key of commands) expect(await store.outbox.claimCommand(key, 1)).toBeUndefined();
  }, 180_000);
});
