import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { createManifestReader } from "../../../src/core/dvc/create-manifest-reader.js";

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

describe("createManifestReader", () => {
  it("finds .dir objects in the DVC 3 and the legacy layout, cache before remote", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "manifest-reader-"));
    dirs.push(root);
    const cache = new FsArtifactStore(path.join(root, "cache"));
    const remote = new FsArtifactStore(path.join(root, "remote"));
    await cache.put("files/md5/ab/cd.dir", "new layout");
    await remote.put("ab/cd.dir", "legacy in remote");
    await remote.put("ef/01.dir", "only in remote");
    const read = createManifestReader({ stores: (r) => (r === "ml" ? [cache, remote] : []) });
    expect(await read({ root: "ml", hash: "abcd.dir" })).toEqual({ file: `${cache.location}/files/md5/ab/cd.dir`, text: "new layout" });
    expect(await read({ root: "ml", hash: "ef01.dir" })).toEqual({ file: `${remote.location}/ef/01.dir`, text: "only in remote" });
    expect(await read({ root: "ml", hash: "9999.dir" })).toBeUndefined();
    expect(await read({ root: "other", hash: "abcd.dir" })).toBeUndefined();
  });

  it("refuses a hash that would name another path, before any store is asked", async () => {
    const asked: string[] = [];
    const store = { location: "/nowhere", get: (key: string) => (asked.push(key), Promise.resolve(undefined)) } as never;
    const read = createManifestReader({ stores: () => [store] });
    await expect(read({ root: "", hash: "../../etc/passwd.dir" })).rejects.toThrow("`../../etc/passwd.dir` is not a .dir hash");
    await expect(read({ root: "", hash: "ab/cd.dir" })).rejects.toThrow("is not a .dir hash");
    expect(asked).toEqual([]);
  });
});
