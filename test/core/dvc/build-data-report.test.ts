import { describe, expect, it } from "vitest";
import path from "node:path";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { buildDataReport } from "../../../src/core/dvc/build-data-report.js";
import { createManifestReader } from "../../../src/core/dvc/create-manifest-reader.js";
import { toDvcDiffJson } from "../../../src/core/dvc/to-dvc-diff-json.js";
import { FIXTURES, fixtureExpected, fixtureVersion } from "./fixture-files.js";

const cache = new FsArtifactStore(path.join(FIXTURES, "cache"));
const readManifest = createManifestReader({ stores: () => [cache] });

async function report(a: string, b: string) {
  return buildDataReport({ base: fixtureVersion(a), head: fixtureVersion(b), readManifest });
}

describe("buildDataReport against `dvc diff --json --show-hash` (dvc 3.67.1)", () => {
  it.each([
    ["v0", "v1"],
    ["v1", "v2"],
    ["v2", "v3"],
    ["v0", "v2"],
    ["v0", "v3"],
    ["v1", "v1"],
  ])("%s..%s equals dvc's output", async (a, b) => {
    const r = await report(a, b);
    expect(r.roots).toEqual(["ml"]);
    expect(toDvcDiffJson(r, { root: "ml", showHash: true })).toEqual(fixtureExpected(`diff-${a}-${b}.json`));
  });

  it("counts files and sizes per dataset (v0..v1)", async () => {
    const r = await report("v0", "v1");
    expect(r.datasets.map((d) => [d.path, d.kind, d.files, d.sizeDelta, d.complete])).toEqual([
      ["data/labels.csv", "modified", { added: 0, deleted: 0, modified: 1, renamed: 0 }, 11 - 9, true],
      ["data/prepared", "modified", { added: 2, deleted: 2, modified: 1, renamed: 1 }, 31 - 30, true],
      ["data/raw", "modified", { added: 2, deleted: 2, modified: 1, renamed: 1 }, 31 - 30, true],
    ]);
    expect(r.totals).toEqual({ datasets: 3, files: { added: 4, deleted: 4, modified: 3, renamed: 2 }, sizeDelta: 2 + 1 + 1, sizeUnknown: 0 });
    expect(r.notInCache).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it("reports a renamed folder as one renamed dataset (dvc move, v1..v2)", async () => {
    const r = await report("v1", "v2");
    expect(r.datasets.map((d) => [d.path, d.oldPath, d.kind, d.files])).toEqual([
      ["data/extra", undefined, "added", { added: 2, deleted: 0, modified: 0, renamed: 0 }],
      ["data/labels.csv", undefined, "deleted", { added: 0, deleted: 1, modified: 0, renamed: 0 }],
      ["data/pictures", "data/images", "renamed", { added: 0, deleted: 0, modified: 0, renamed: 2 }],
    ]);
  });

  it("reports a missing .dir manifest and still reports the rest (v0..v3)", async () => {
    const r = await report("v0", "v3");
    expect(r.notInCache).toEqual([{ root: "ml", path: "data/extra", hash: "deb2a7b41ea2cd4f02eeee3ac6a4400d.dir", side: "head", reason: "missing" }]);
    const extra = r.datasets.find((d) => d.path === "data/extra");
    expect(extra).toMatchObject({ kind: "added", complete: false, files: { added: 0, deleted: 0, modified: 0, renamed: 0 } });
    expect(r.datasets.filter((d) => d.complete).map((d) => d.path)).toEqual(["data/labels.csv", "data/pictures", "data/prepared", "data/raw"]);
    expect(toDvcDiffJson(r, { root: "ml", withMissing: true })["not in cache"]).toEqual([{ path: "data/extra/" }]);
  });
});
