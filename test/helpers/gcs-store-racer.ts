/**
 * One racer for the GCS job store's two-process tests: at the agreed start time it either claims
 * queued jobs until none is left, or enqueues the given keys, then prints what it won as JSON.
 *
 * Usage: tsx test/helpers/gcs-store-racer.ts <claim|enqueue> <gs://url> <endpoint> <worker> <startAtMs> [keys...]
 */
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import { newJob } from "./new-job.js";

const [mode, url, endpoint, worker, startAt, ...keys] = process.argv.slice(2);
const store = GcsJobStore.fromUrl(url!, { apiEndpoint: endpoint });
await store.get("warm-up"); // load the client before the start line
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const won: string[] = [];
if (mode === "claim") {
  for (let job = await store.claimNext({ worker: worker!, kinds: ["train"], leaseMs: 60_000 }); job; job = await store.claimNext({ worker: worker!, kinds: ["train"], leaseMs: 60_000 })) {
    won.push(job.key);
  }
} else {
  await Promise.all(
    keys.map(async (key) => {
      if ((await store.enqueue(newJob({ key, group: key }))).created) won.push(key);
    }),
  );
}
process.stdout.write(`${JSON.stringify(won)}\n`);
