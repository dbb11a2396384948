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
    ["v3", "v4"],
    // foreach and matrix instances gone from dvc.yaml but still in dvc.lock; renames whose pairing
    // depends on code-point and key-tuple order (U+FF21 before U+1F600, a/b.txt before a-b.txt).
    ["v4", "v5"],
    // Instances dvc.yaml generates that never ran (hash null), an index dvc.lock knows for another
    // item, a foreach over a mapping with ${key} and ${item.bucket} in its outs.
    ["v5", "v6"],
    ["v4", "v6"],
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
      ["data/later", undefined, "added", { added: 1, deleted: 0, modified: 0, renamed: 0 }],
      ["data/pictures", "data/images", "renamed", { added: 0, deleted: 0, modified: 0, renamed: 2 }],
      ["later.txt", undefined, "added", { added: 1, deleted: 0, modified: 0, renamed: 0 }],
    ]);
    // Declared in dvc.yaml, never run: no hash and no size yet.
    expect(r.datasets.find((d) => d.path === "later.txt")).toMatchObject({ newHash: undefined, sizeDelta: undefined, source: "ml/dvc.lock", stage: "later" });
  });

  it("reports a missing .dir manifest and still reports the rest (v0..v3)", async () => {
    const r = await report("v0", "v3");
    expect(r.notInCache).toEqual([{ root: "ml", path: "data/extra", hash: "deb2a7b41ea2cd4f02eeee3ac6a4400d.dir", side: "head", reason: "missing" }]);
    const extra = r.datasets.find((d) => d.path === "data/extra");
    expect(extra).toMatchObject({ kind: "added", complete: false, files: { added: 0, deleted: 0, modified: 0, renamed: 0 } });
    expect(r.datasets.filter((d) => d.complete).map((d) => d.path)).toEqual(["data/labels.csv", "data/later", "data/pictures", "data/prepared", "data/raw", "later.txt"]);
    expect(toDvcDiffJson(r, { root: "ml", withMissing: true })["not in cache"]).toEqual([{ path: "data/extra/" }]);
  });
});

describe("buildDataReport when things go wrong", () => {
  it("reports an invalid manifest and a failing store, and still diffs the rest", async () => {
    const reader = async ({ hash }: { root: string; hash: string }) => {
      if (hash === "adaf9bbbeefad87758eea24642c4e31b.dir") return { file: "cache/adaf.dir", text: '[{"md5": "nothex", "relpath": "a"}]' };
      if (hash === "85eeac91c2ae0f113a6db0ab029af1eb.dir") throw new Error("permission denied");
      return readManifest({ root: "ml", hash });
    };
    const r = await buildDataReport({ base: fixtureVersion("v0"), head: fixtureVersion("v1"), readManifest: reader });
    expect(r.notInCache.map((m) => [m.path, m.side, m.reason])).toEqual([
      ["data/prepared", "base", "unreadable"],
      ["data/prepared", "head", "invalid"],
      ["data/raw", "base", "unreadable"],
      ["data/raw", "head", "invalid"],
    ]);
    expect(r.problems.map((p) => [p.side, p.problem.file, p.problem.message])).toEqual([
      ["base", "ml/.dvc/cache (85eeac91c2ae0f113a6db0ab029af1eb.dir)", "cannot read the .dir manifest: permission denied"],
      ["head", "cache/adaf.dir", 'entry "a" has an md5 of the wrong form: "nothex"'],
    ]);
    expect(r.datasets.map((d) => [d.path, d.complete])).toEqual([
      ["data/labels.csv", true],
      ["data/prepared", false],
      ["data/raw", false],
    ]);
  });

  it("leaves out, on both sides, the outputs of a file that does not parse at one side", async () => {
    const head = fixtureVersion("v1");
    head.set("ml/dvc.lock", head.get("ml/dvc.lock")!.replace("md5: adaf9bbbeefad87758eea24642c4e31b.dir", "md5: not-a-hash"));
    const r = await buildDataReport({ base: fixtureVersion("v0"), head, readManifest });
    expect(r.problems.map((p) => [p.side, p.problem.file, p.problem.line])).toEqual([["head", "ml/dvc.lock", 8]]);
    expect(r.datasets.map((d) => d.path)).toEqual(["data/labels.csv", "data/raw"]);
  });
});
