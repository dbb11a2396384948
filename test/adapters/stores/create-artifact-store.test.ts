import { describe, expect, it } from "vitest";
import { createArtifactStore } from "../../../src/adapters/stores/create-artifact-store.js";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { GcsArtifactStore } from "../../../src/adapters/stores/gcs-artifact-store.js";
import { ConfigError } from "../../../src/core/errors.js";

describe("createArtifactStore", () => {
  it("builds a store by scheme: a folder for a path or file://, Cloud Storage for gs://", async () => {
    expect(await createArtifactStore("/srv/runs/1")).toBeInstanceOf(FsArtifactStore);
    expect((await createArtifactStore("file:///srv/runs/1")).location).toBe("/srv/runs/1");
    const gcs = await createArtifactStore("gs://team-bucket/runs/1", { gcsEndpoint: "http://127.0.0.1:9" });
    expect(gcs).toBeInstanceOf(GcsArtifactStore);
    expect(gcs.location).toBe("gs://team-bucket/runs/1");
  });

  it("refuses another scheme with a ConfigError naming its source and the valid ones", async () => {
    const refused = createArtifactStore("s3://bucket/runs/1", {}, "--run");
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(createArtifactStore("s3://bucket/runs/1", {}, "--run")).rejects.toThrow(
      "--run: `s3:` URLs are not supported here; use a folder (`/srv/store`), `file:///srv/store` or `gs://bucket/prefix`",
    );
    await expect(createArtifactStore("runs/1", {}, "--run")).rejects.toThrow("--run: `runs/1` is a relative path; give an absolute one");
  });
});
