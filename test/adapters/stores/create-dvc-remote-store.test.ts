import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDvcRemoteStore } from "../../../src/adapters/stores/create-dvc-remote-store.js";
import { createManifestReader } from "../../../src/core/dvc/create-manifest-reader.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";

describe("createDvcRemoteStore", () => {
  it("opens local folders: an absolute path or a file:// URL", () => {
    const plain = createDvcRemoteStore({ url: "/srv/dvc-remote" });
    const url = createDvcRemoteStore({ url: "file:///srv/dvc-remote" });
    expect(plain.ok && plain.value.location).toBe(path.resolve("/srv/dvc-remote"));
    expect(url.ok && url.value.location).toBe(path.resolve("/srv/dvc-remote"));
  });

  it("resolves a relative path only against a checkout's .dvc/ folder", () => {
    const inCheckout = createDvcRemoteStore({ url: "../../remote", relativeTo: "/work/repo/ml/.dvc" });
    expect(inCheckout.ok && inCheckout.value.location).toBe("/work/repo/remote");
    expect(createDvcRemoteStore({ url: "../../remote" })).toEqual({
      ok: false,
      error: "the remote `../../remote` is a relative path, which only means something in a checkout; the bot reads none, so give it an absolute path",
    });
  });

  it.each(["s3://bucket/dvc", "ssh://host/srv/dvc", "https://example.com/dvc"])("says %s is not supported yet, listing what is", (url) => {
    const scheme = url.slice(0, url.indexOf(":"));
    expect(createDvcRemoteStore({ url })).toEqual({
      ok: false,
      error: `the remote cannot be used: \`${scheme}:\` URLs are not supported here; use a folder (\`/srv/store\`), \`file:///srv/store\` or \`gs://bucket/prefix\``,
    });
  });

  it("opens a gs:// remote as a GCS store, and explains a malformed one", () => {
    const gs = createDvcRemoteStore({ url: "gs://team-bucket/dvc/" });
    expect(gs.ok && gs.value.location).toBe("gs://team-bucket/dvc");
    expect(createDvcRemoteStore({ url: "gs://Team/dvc" })).toEqual({
      ok: false,
      error: "the remote cannot be used: `Team` in `gs://Team/dvc` is not a bucket name (lowercase letters, digits, -, _ and .)",
    });
  });

  it("explains a file:// URL that is not a local path", () => {
    const result = createDvcRemoteStore({ url: "file://other-host/srv/dvc" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe(
      "the remote cannot be used: `file://other-host/srv/dvc` names the host `other-host`; a file:// URL must name a folder on this machine, like file:///srv/store",
    );
  });
});

const gcs = gcsEmulator();

describe.runIf(gcs)("createDvcRemoteStore with a gs:// remote (fake-gcs-server)", () => {
  it("reads .dir manifests from both DVC layouts in the bucket", async () => {
    const url = gcs!.url("dvc-remote");
    const remote = createDvcRemoteStore({ url, gcsEndpoint: gcs!.endpoint });
    if (!remote.ok) throw new Error(remote.error);
    // As `dvc push` lays them out: DVC 3 under files/md5/, DVC 2 at the top.
    await remote.value.put("files/md5/ab/cdef0123.dir", '[{"md5": "1", "relpath": "new.csv"}]');
    await remote.value.put("98/76543210.dir", '[{"md5": "2", "relpath": "legacy.csv"}]');
    const read = createManifestReader({ stores: () => [remote.value] });
    expect(await read({ root: "ml", hash: "abcdef0123.dir" })).toEqual({ file: `${url}/files/md5/ab/cdef0123.dir`, text: '[{"md5": "1", "relpath": "new.csv"}]' });
    expect(await read({ root: "ml", hash: "9876543210.dir" })).toEqual({ file: `${url}/98/76543210.dir`, text: '[{"md5": "2", "relpath": "legacy.csv"}]' });
    expect(await read({ root: "ml", hash: "0000.dir" })).toBeUndefined();
  });
});
