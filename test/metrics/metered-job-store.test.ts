import path from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { createBotMetrics } from "../../src/metrics/bot-metrics.js";
import { meterJobStore } from "../../src/metrics/metered-job-store.js";
import { newJob, newTrainingResult } from "../helpers/new-job.js";
import { sample, scrapeMetrics } from "../helpers/scrape-metrics.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("meterJobStore: training time and cost", () => {
  it("counts each ended training run's wall time and estimated cost by runner, without naming a repository", async () => {
    const metrics = createBotMetrics();
    const store = meterJobStore(new SqliteJobStore(path.join(tempDir(), "jobs.sqlite")), metrics);
    // Ended as the worker ends a job (claim, then `finish` under the claim), or by a plain move.
    const end = async (key: string, result: ReturnType<typeof newTrainingResult>) => {
      const { job } = await store.enqueue(newJob({ key, group: key }));
      if (key === "d") {
        await store.transition(job.id, "queued", "running");
        await store.transition(job.id, "running", "succeeded", { result });
        return;
      }
      const claimed = await store.claimNext({ worker: "w", kinds: ["train"], leaseMs: 60_000 });
      expect(await store.finish({ id: job.id, claim: "stale", to: "succeeded", result })).toEqual({ status: "lost-claim" }); // counts nothing
      expect((await store.finish({ id: job.id, claim: claimed!.claim!, to: "succeeded", result })).status).toBe("written");
    };
    const resources = (runner: string, minutes: number) => ({ runner, wallMs: minutes * 60_000, vcpu: 2, memoryGiB: 4, gpu: null, basis: "limits" as const });
    await end("a", { ...newTrainingResult(), resources: resources("cloud-run", 10), cost: { amount: 0.0264, currency: "USD" } });
    await end("b", { ...newTrainingResult(), resources: resources("cloud-run", 5), cost: { amount: 0.0132, currency: "USD" } });
    await end("c", { ...newTrainingResult(), resources: resources("docker", 2) }); // recorded, not priced (the CLI's)
    await end("d", newTrainingResult()); // an older bot's run: nothing to count
    const { text } = await scrapeMetrics(metrics.registry);
    expect(sample(text, 'mlops_bot_training_cost_total{runner="cloud-run",currency="USD"}')).toBeCloseTo(0.0396, 10);
    expect(sample(text, 'mlops_bot_training_seconds_total{runner="cloud-run"}')).toBe(900);
    expect(sample(text, 'mlops_bot_training_seconds_total{runner="docker"}')).toBe(120);
    expect(text).not.toMatch(/mlops_bot_training_cost_total\{runner="docker"/);
    expect(text).not.toMatch(/octo-org|ml-repo/);
    await store.close();
  });
});
