import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { GcsJobStore } from "../../../src/adapters/stores/gcs-job-store.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { ROOT } from "../../helpers/example-repo.js";
import { newJob } from "../../helpers/new-job.js";

const run = promisify(execFile);
const gcs = gcsEmulator();

/** Two racer processes (test/helpers/gcs-store-racer.ts) started together on one store. */
async function race(mode: "claim" | "enqueue", url: string, keys: string[] = []): Promise<[string[], string[]]> {
  const startAt = String(Date.now() + 3000);
  const racer = (worker: string) =>
    run(process.execPath, ["--import", "tsx", "test/helpers/gcs-store-racer.ts", mode, url, gcs!.endpoint, worker, startAt, ...keys], { cwd: ROOT }).then(
      ({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as string[],
    );
  return Promise.all([racer("host-a:1:a"), racer("host-b:1:b")]);
}

describe.runIf(gcs)("GcsJobStore shared by two processes (fake-gcs-server)", () => {
  it("hands every queued job to exactly one of two processes claiming at once", async () => {
    const url = gcs!.url("claim-race");
    const store = GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint });
    const keys = Array.from({ length: 40 }, (_, i) => `comment:${i}:0`);
    for (const key of keys) await store.enqueue(newJob({ key, group: key }));
    const [a, b] = await race("claim", url);
    expect([...a, ...b].sort()).toEqual([...keys].sort());
    expect(a.filter((key) => b.includes(key))).toEqual([]);
    const running = await store.list({ state: "running" });
    expect(running).toHaveLength(40);
    for (const job of running) expect(job.worker).toBe(a.includes(job.key) ? "host-a:1:a" : "host-b:1:b");
  }, 60_000);

  it("creates each job once when two processes enqueue the same commands at once", async () => {
    const url = gcs!.url("enqueue-race");
    const keys = Array.from({ length: 40 }, (_, i) => `comment:${i}:0`);
    const [a, b] = await race("enqueue", url, keys);
    expect([...a, ...b].sort()).toEqual([...keys].sort());
    expect(a.filter((key) => b.includes(key))).toEqual([]);
    expect(await GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint }).list({})).toHaveLength(40);
  }, 60_000);
});
