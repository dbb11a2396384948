import { once } from "node:events";
import { expect, it } from "vitest";
import { StorageError } from "../../../src/core/errors.js";
import type { ArtifactStore } from "../../../src/ports/artifact-store.js";

/**
 * What every `ArtifactStore` must do, run against each adapter. `open` gives a store on a fresh,
 * empty location each time it is called.
 */
export function artifactStoreContract(open: () => ArtifactStore): void {
  it("reads back what was put, bytes or text, the last write winning", async () => {
    const store = open();
    await store.put("jobs/1/metrics.json", '{"accuracy":0.9}');
    await store.put("jobs/1/model.bin", new Uint8Array([0, 1, 2, 255]));
    expect((await store.get("jobs/1/metrics.json"))?.toString("utf8")).toBe('{"accuracy":0.9}');
    expect(await store.get("jobs/1/model.bin")).toEqual(Buffer.from([0, 1, 2, 255]));
    await store.put("jobs/1/metrics.json", '{"accuracy":0.95}');
    expect((await store.get("jobs/1/metrics.json"))?.toString("utf8")).toBe('{"accuracy":0.95}');
  });

  it("reads at most maxBytes + 1 bytes of an object when asked to (the first ones)", async () => {
    const store = open();
    await store.put("runs/1/log/000001.txt", "0123456789");
    expect((await store.get("runs/1/log/000001.txt", { maxBytes: 4 }))?.toString()).toBe("01234");
    expect((await store.get("runs/1/log/000001.txt", { maxBytes: 10 }))?.toString()).toBe("0123456789");
    expect((await store.get("runs/1/log/000001.txt", { maxBytes: 100 }))?.toString()).toBe("0123456789");
    await store.put("runs/1/empty.txt", "");
    expect(await store.get("runs/1/empty.txt", { maxBytes: 4 })).toEqual(Buffer.alloc(0));
    expect(await store.get("runs/1/none.txt", { maxBytes: 4 })).toBeUndefined();
  });

  it("reads a missing key as undefined, not an error", async () => {
    const store = open();
    expect(await store.get("nothing/here.txt")).toBeUndefined();
    expect(await store.list("nothing")).toEqual([]);
  });

  it("lists the keys under a folder, sorted, and only that folder", async () => {
    const store = open();
    for (const key of ["jobs/10/log.txt", "jobs/1/plots/b.json", "jobs/1/log.txt", "jobs/1/plots/a.json", "other.txt"]) await store.put(key, key);
    expect(await store.list("jobs/1")).toEqual(["jobs/1/log.txt", "jobs/1/plots/a.json", "jobs/1/plots/b.json"]);
    expect(await store.list("jobs/1/")).toEqual(["jobs/1/log.txt", "jobs/1/plots/a.json", "jobs/1/plots/b.json"]);
    expect(await store.list("")).toEqual(["jobs/1/log.txt", "jobs/1/plots/a.json", "jobs/1/plots/b.json", "jobs/10/log.txt", "other.txt"]);
  });

  it("streams a large write, complete when the stream finishes", async () => {
    const store = open();
    const stream = store.openWrite("jobs/2/log.txt");
    const line = `${"x".repeat(99)}\n`;
    for (let i = 0; i < 20_000; i++) if (!stream.write(line)) await once(stream, "drain");
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      stream.end(() => resolve());
    });
    const data = await store.get("jobs/2/log.txt");
    expect(data?.length).toBe(2_000_000);
    expect(data?.subarray(0, 100).toString()).toBe(line);
  });

  it("writes an empty object when a stream ends without data", async () => {
    const store = open();
    const stream = store.openWrite("jobs/3/empty.log");
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    expect(await store.get("jobs/3/empty.log")).toEqual(Buffer.alloc(0));
  });

  it("removes a folder or one key; removing nothing is not an error", async () => {
    const store = open();
    for (const key of ["jobs/1/log.txt", "jobs/1/plots/a.json", "jobs/10/log.txt", "keep.txt"]) await store.put(key, key);
    await store.remove("jobs/1");
    expect(await store.list("")).toEqual(["jobs/10/log.txt", "keep.txt"]);
    await store.remove("keep.txt");
    expect(await store.get("keep.txt")).toBeUndefined();
    await store.remove("never/there");
    expect(await store.list("")).toEqual(["jobs/10/log.txt"]);
  });

  it("refuses a key that leaves the store", async () => {
    const store = open();
    await expect(store.put("../outside.txt", "x")).rejects.toBeInstanceOf(StorageError);
    await expect(store.get("jobs/../../outside.txt")).rejects.toBeInstanceOf(StorageError);
  });
}
