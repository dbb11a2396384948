import { describe, expect, it } from "vitest";
import { collectDataVersion } from "../../../src/core/dvc/collect-data-version.js";
import { findDvcRoots } from "../../../src/core/dvc/find-dvc-roots.js";
import { isDvcMetadataPath } from "../../../src/core/dvc/is-dvc-metadata-path.js";
import { joinDvcPath } from "../../../src/core/dvc/join-dvc-path.js";

const H = (n: number, dir = false) => `${String(n).repeat(32).slice(0, 32)}${dir ? ".dir" : ""}`;

describe("collectDataVersion", () => {
  it("resolves paths through folders, wdir and foreach stages, and skips cache: false outputs", () => {
    const files = new Map([
      [".dvc/config", ""],
      ["sub/ml/.dvc/.gitignore", "/cache\n"],
      ["sub/ml/pipe/dvc.yaml", ["stages:", "  train:", "    wdir: ..", "    cmd: x", "    outs: [model.pkl, {metrics.json: {cache: false}}]", "  per:", "    foreach: [a, b]", "    do:", "      cmd: y", "      outs: [{'out/${item}.csv': {cache: false}}, 'keep/${item}']", ""].join("\n")],
      [
        "sub/ml/pipe/dvc.lock",
        ["schema: '2.0'", "stages:", "  train:", "    cmd: x", "    outs:", `    - {path: model.pkl, md5: ${H(1)}, size: 5}`, `    - {path: metrics.json, md5: ${H(2)}}`, "  per@a:", "    cmd: y", "    outs:", `    - {path: out/a.csv, md5: ${H(3)}}`, `    - {path: keep/a, md5: ${H(4, true)}, nfiles: 2}`, ""].join("\n"),
      ],
      ["sub/ml/data/raw.dvc", `outs:\n- md5: ${H(5, true)}\n  path: raw\n`],
      ["top.dvc", `outs:\n- md5: ${H(6)}\n  path: top.bin\n  cache: false\n`],
      ["top2.dvc", `outs:\n- md5: ${H(7)}\n  path: ./a/../top2.bin\n`],
    ]);
    const v = collectDataVersion({ files });
    expect(v.problems).toEqual([]);
    expect([...v.roots].map(([root, outs]) => [root, [...outs.values()].map((o) => [o.path, o.isDir, o.source, o.stage ?? null])])).toEqual([
      ["", [["top2.bin", false, "top2.dvc", null]]],
      [
        "sub/ml",
        [
          ["data/raw", true, "sub/ml/data/raw.dvc", null],
          ["model.pkl", false, "sub/ml/pipe/dvc.lock", "train"],
          ["pipe/keep/a", true, "sub/ml/pipe/dvc.lock", "per@a"],
          // Declared by dvc.yaml, never run: no lock entry, so no hash (dvc diff lists it with null).
          ["pipe/keep/b", false, "sub/ml/pipe/dvc.lock", "per@b"],
        ],
      ],
    ]);
  });

  it("records unparsable files and duplicate outputs as problems", () => {
    const files = new Map([
      [".dvc/config", ""],
      ["a.dvc", `outs:\n- md5: nothex\n  path: x\n`],
      ["b.dvc", `outs:\n- md5: ${H(1)}\n  path: y\n`],
      ["c.dvc", `outs:\n- md5: ${H(2)}\n  path: y\n`],
    ]);
    const v = collectDataVersion({ files });
    expect([...v.failedSources]).toEqual(["a.dvc"]);
    expect(v.problems.map((p) => [p.file, p.line])).toEqual([
      ["a.dvc", 2],
      ["c.dvc", 2],
    ]);
    expect([...v.roots.get("")!.keys()]).toEqual(["y"]);
  });
});

describe("DVC paths", () => {
  it("finds roots from the files git keeps of .dvc/", () => {
    expect(findDvcRoots(["ml/.dvc/config", "ml/dvc.lock", ".dvc/.gitignore", "x/.dvc/cache/ab/cd"])).toEqual(["", "ml"]);
  });

  it("tells which files the data diff reads", () => {
    const paths = ["ml/dvc.lock", "dvc.yaml", "ml/data/raw.dvc", "ml/.dvc/config", "ml/.dvc/.gitignore", "ml/.dvc/config.local", "ml/.dvc/cache/x.dvc", "a/.dvc", "ml/params.yaml"];
    expect(paths.filter(isDvcMetadataPath)).toEqual(["ml/dvc.lock", "dvc.yaml", "ml/data/raw.dvc", "ml/.dvc/config", "ml/.dvc/.gitignore"]);
  });

  it("joins and normalises like DVC", () => {
    expect(joinDvcPath("data", "./a/../b")).toBe("data/b");
    expect(joinDvcPath("", "..", "x")).toBe("../x");
    expect(joinDvcPath("data", "s3://bucket/key")).toBe("s3://bucket/key");
  });
});

describe("foreach stages of a hostile dvc.yaml", () => {
  it("takes the lock's outs, not items times outs, when dvc.yaml would make more than 100,000 outputs", () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `i${i}`).join(", ");
    const outs = Array.from({ length: 10 }, (_, k) => `"o${k}/\${item}"`).join(", ");
    const files = new Map([
      [".dvc/config", ""],
      ["dvc.yaml", `stages:\n  s:\n    foreach: [${items}]\n    do:\n      cmd: x\n      outs: [${outs}]\n`],
      ["dvc.lock", `schema: '2.0'\nstages:\n  s@i1:\n    cmd: x\n    outs:\n    - {path: o0/i1, md5: ${H(1)}}\n  s@gone:\n    cmd: x\n    outs:\n    - {path: o0/gone, md5: ${H(2)}}\n`],
    ]);
    const v = collectDataVersion({ files });
    expect(v.problems).toEqual([]);
    expect([...v.roots.get("")!.keys()]).toEqual(["o0/i1"]); // the known keys still leave the stale entry out
  });
});
