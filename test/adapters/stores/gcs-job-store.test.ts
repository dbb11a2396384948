import { Storage } from "@google-cloud/storage";
import { describe, expect, it } from "vitest";
import { GcsJobStore } from "../../../src/adapters/stores/gcs-job-store.js";
import { jobIdFor } from "../../../src/adapters/stores/gcs-job-record.js";
import { StorageError } from "../../../src/core/errors.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { newJob } from "../../helpers/new-job.js";
import { jobStoreContract } from "./job-store-contract.js";
import { jobStoreFencingContract } from "./job-store-fencing-contract.js";
import { outboxContract } from "./outbox-contract.js";
import { jobStoreDamageContract, type DamageableStoreFixture } from "./job-store-damage-contract.js";

const gcs = gcsEmulator();

describe.runIf(gcs)("GcsJobStore (fake-gcs-server)", () => {
  const open = (url: string, now?: () => number) => GcsJobStore.fromUrl(url, { apiEndpoint: gcs!.endpoint, ...(now ? { now } : {}) });

  const fixture = (): DamageableStoreFixture => {
    const url = gcs!.url("jobs");
    return {
      open: (options) => open(url, options?.now),
      damage: async (id, part, text) => {
        const file = new Storage({ apiEndpoint: gcs!.endpoint }).bucket(gcs!.bucket).file(`${url.slice(`gs://${gcs!.bucket}/`.length)}/jobs/${id}.json`);
        const [body] = await file.download();
        const record = { ...JSON.parse(body.toString("utf8")), [part]: "\u0000damaged\u0000" };
        await file.save(JSON.stringify(record).replace(JSON.stringify("\u0000damaged\u0000"), part === "kind" ? JSON.stringify(text) : text), { resumable: false });
      },
    };
  };
  jobStoreContract(fixture);
  jobStoreDamageContract(fixture);
  jobStoreFencingContract(fixture);
  outboxContract(fixture);

  /** The object names under a store's prefix, as an operator would see them. */
  async function objects(url: string): Promise<string[]> {
    const prefix = url.slice(`gs://${gcs!.bucket}/`.length);
    const [files] = await new Storage({ apiEndpoint: gcs!.endpoint }).bucket(gcs!.bucket).getFiles({ prefix: `${prefix}/` });
    return files.map((f) => f.name.slice(prefix.length + 1)).sort();
  }

  it("keeps the documented layout: a record per job, a marker while it is open, commands and facts by key", async () => {
    const url = gcs!.url("layout");
    const store = open(url);
    const { job } = await store.enqueue(newJob({ key: "comment:7:0" }));
    await store.markCommandSeen("comment:7:0");
    await store.setFact("sticky:o/r#1:train", "123");
    expect(job.id).toBe(jobIdFor("comment:7:0"));
    expect(job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await objects(url)).toEqual([
      "commands/comment%3A7%3A0",
      "facts/sticky%3Ao%2Fr%231%3Atrain",
      `jobs/${job.id}.json`,
      `open/octo-org%2Fml-repo%231%3Atrain/${job.id}`,
    ]);
    await store.transition(job.id, "queued", "cancelled", { reason: "superseded" });
    expect(await objects(url)).toContain(`open/octo-org%2Fml-repo%231%3Atrain/${job.id}`);
    await store.update(job.id, { reported: true });
    expect(await objects(url)).toEqual(["commands/comment%3A7%3A0", "facts/sticky%3Ao%2Fr%231%3Atrain", `jobs/${job.id}.json`]);
    // Closed jobs are still found by a full listing (the history), by their metadata.
    expect((await store.list({ state: "cancelled", kind: "train" })).map((j) => j.id)).toEqual([job.id]);
    expect(await store.list({ state: "cancelled", kind: "build" })).toEqual([]);
  });

  it("lists a group's open jobs from its own marker folder, and jobs without a group under ~", async () => {
    const url = gcs!.url("groups");
    const store = open(url);
    const a = await store.enqueue(newJob({ key: "a", group: "o/r#1:train" }));
    const b = await store.enqueue(newJob({ key: "b", group: "o/r#2:train" }));
    const c = await store.enqueue(newJob({ key: "c", group: null }));
    expect((await objects(url)).filter((name) => name.startsWith("open/"))).toEqual(
      [`open/o%2Fr%231%3Atrain/${a.job.id}`, `open/o%2Fr%232%3Atrain/${b.job.id}`, `open/~/${c.job.id}`].sort(),
    );
    expect((await store.list({ group: "o/r#2:train", state: ["queued", "running"] })).map((j) => j.key)).toEqual(["b"]);
    expect((await store.list({ state: "queued" })).map((j) => j.key)).toEqual(["a", "b", "c"]);
  });

  it("reopens a closed job's marker before un-reporting it", async () => {
    const url = gcs!.url("reopen");
    const store = open(url);
    const { job } = await store.enqueue(newJob());
    await store.transition(job.id, "queued", "cancelled");
    await store.update(job.id, { reported: true });
    await store.update(job.id, { reported: false });
    expect((await store.list({ reported: false })).map((j) => j.id)).toEqual([job.id]);
  });

  it("drops a marker left by a crash between closing a job and unmarking it", async () => {
    const url = gcs!.url("stale");
    const store = open(url);
    const { job } = await store.enqueue(newJob());
    await store.transition(job.id, "queued", "cancelled");
    await store.update(job.id, { reported: true });
    const prefix = url.slice(`gs://${gcs!.bucket}/`.length);
    await new Storage({ apiEndpoint: gcs!.endpoint }).bucket(gcs!.bucket).file(`${prefix}/open/octo-org%2Fml-repo%231%3Atrain/${job.id}`).save("");
    expect(await store.list({ state: ["queued", "running"] })).toEqual([]);
    expect(await objects(url)).toEqual([`jobs/${job.id}.json`]);
  });

  it("finds a redelivered command's job after it ended, and does not reopen it", async () => {
    const url = gcs!.url("redelivered");
    const store = open(url);
    const { job } = await store.enqueue(newJob());
    await store.transition(job.id, "queued", "cancelled");
    await store.update(job.id, { reported: true });
    expect(await open(url).enqueue(newJob())).toEqual({ job: await store.get(job.id), created: false });
    expect(await objects(url)).toEqual([`jobs/${job.id}.json`]);
  });

  it("names no object for an id that is not one", async () => {
    const store = open(gcs!.url("ids"));
    expect(await store.get("../facts/x")).toBeUndefined();
    expect(await store.transition("a/b", "queued", "running")).toBeUndefined();
    await expect(store.update("a/b", { reported: true })).rejects.toThrow("job a/b does not exist");
  });

  it("turns an unreachable bucket into a StorageError naming the store", async () => {
    const store = GcsJobStore.fromUrl("gs://no-such-bucket-here/jobs", { apiEndpoint: gcs!.endpoint });
    await expect(store.enqueue(newJob())).rejects.toBeInstanceOf(StorageError);
    await expect(store.enqueue(newJob())).rejects.toThrow(/^cannot enqueue comment:1:0 in the job store at gs:\/\/no-such-bucket-here\/jobs: /);
  });
});

describe("GcsJobStore.fromUrl", () => {
  it("refuses a URL that is not gs://bucket/prefix", () => {
    expect(() => GcsJobStore.fromUrl("gs://UPPER/jobs")).toThrow(StorageError);
    expect(GcsJobStore.fromUrl("gs://bucket/team/jobs/").location).toBe("gs://bucket/team/jobs");
  });
});
