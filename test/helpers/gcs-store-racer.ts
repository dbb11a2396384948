/**
 * One racer for the GCS job store's two-process tests: once loaded it prints `ready` and waits
 * for `go` on stdin (sent to both racers when both are ready), then it either claims
 * queued jobs until none is left, enqueues the given keys, or answers the given comments' two
 * commands as the bot does (claim each (the second racer in reverse order), store the 👀, store one reply for the commands it claimed
 * and make their claims final), then prints what it won as JSON.
 *
 * Usage: tsx test/helpers/gcs-store-racer.ts <claim|enqueue|answer> <gs://url> <endpoint> <worker> [keys or comment ids...]
 */
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import type { CommandClaim } from "../../src/ports/outbox.js";
import { newJob } from "./new-job.js";

const [mode, url, endpoint, worker, ...keys] = process.argv.slice(2);
const store = GcsJobStore.fromUrl(url!, { apiEndpoint: endpoint });
await store.get("warm-up"); // load the client before the start
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.pause();
const won: string[] = [];
if (mode === "claim") {
  for (let job = await store.claimNext({ worker: worker!, kinds: ["train"], leaseMs: 60_000 }); job; job = await store.claimNext({ worker: worker!, kinds: ["train"], leaseMs: 60_000 })) {
    won.push(job.key);
  }
} else if (mode === "answer") {
  const repo = { owner: "octo-org", name: "ml-repo", installationId: 42 };
  await Promise.all(
    keys.map(async (comment) => {
      const claimed: CommandClaim[] = [];
      const order = [`comment:${comment}:0`, `comment:${comment}:1`];
      // The second racer claims in the other order, so the two often split one comment's commands.
      for (const key of worker!.startsWith("host-b") ? order.reverse() : order) {
        const claim = await store.outbox.claimCommand(key, 600_000);
        if (claim) claimed.push(claim);
      }
      if (!claimed.length) return;
      const eyes = { key: `react:${comment}:eyes`, repo, action: { type: "react" as const, commentId: Number(comment), reaction: "eyes" as const } };
      await store.outbox.complete({ commands: [], messages: [eyes], worker: worker!, leaseMs: 60_000 });
      const keys = claimed.map((c) => c.key);
      const reply = { key: `reply:${comment}:${worker}`, repo, action: { type: "comment" as const, issue: 1, body: `${worker} answers ${keys.join(" ")}` } };
      if ((await store.outbox.complete({ commands: claimed, messages: [reply], worker: worker!, leaseMs: 60_000 })).status !== "written") throw new Error(`lost a claim of ${keys.join(" ")}`);
      won.push(...keys);
    }),
  );
} else {
  await Promise.all(
    keys.map(async (key) => {
      if ((await store.enqueue(newJob({ key, group: key }))).created) won.push(key);
    }),
  );
}
process.stdout.write(`${JSON.stringify(won)}\n`);
