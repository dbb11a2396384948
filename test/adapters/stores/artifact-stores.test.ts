import { describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { GcsArtifactStore } from "../../../src/adapters/stores/gcs-artifact-store.js";
import { StorageError } from "../../../src/core/errors.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { artifactStoreContract } from "./artifact-store-contract.js";

describe("FsArtifactStore", () => {
  artifactStoreContract(() => new FsArtifactStore(tempDir()));
});

const gcs = gcsEmulator();

describe.runIf(gcs)("GcsArtifactStore (fake-gcs-server)", () => {
  artifactStoreContract(() => GcsArtifactStore.fromUrl(gcs!.url("artifacts"), { apiEndpoint: gcs!.endpoint }));

  it("names its location as a gs:// URL and keeps keys under its prefix", async () => {
    const url = gcs!.url("artifacts");
    const store = GcsArtifactStore.fromUrl(`${url}/`, { apiEndpoint: gcs!.endpoint });
    expect(store.location).toBe(url);
    await store.put("a/b.txt", "b");
    const sibling = GcsArtifactStore.fromUrl(`${url}-sibling`, { apiEndpoint: gcs!.endpoint });
    expect(await sibling.list("")).toEqual([]);
    const parent = GcsArtifactStore.fromUrl(url.slice(0, url.lastIndexOf("/")), { apiEndpoint: gcs!.endpoint });
    expect(await parent.get(`${url.slice(url.lastIndexOf("/") + 1)}/a/b.txt`)).toEqual(Buffer.from("b"));
  });

  it("reports a missing bucket as a StorageError naming the store", async () => {
    const store = GcsArtifactStore.fromUrl("gs://no-such-bucket-here/p", { apiEndpoint: gcs!.endpoint });
    await expect(store.put("x.txt", "x")).rejects.toThrow(StorageError);
    await expect(store.put("x.txt", "x")).rejects.toThrow(/cannot write artifact "x.txt" to gs:\/\/no-such-bucket-here\/p/);
  });
});

describe("GcsArtifactStore.fromUrl", () => {
  it.each([
    ["s3://bucket/p", "is not a Cloud Storage URL"],
    ["gs://Bad_Bucket/p", "is not a bucket name"],
    ["gs://bucket/a//b", "has an empty, `.` or `..` segment"],
    ["gs://bucket/a/../b", "has an empty, `.` or `..` segment"],
  ])("refuses %s", (url, message) => {
    expect(() => GcsArtifactStore.fromUrl(url)).toThrow(message);
  });
});
