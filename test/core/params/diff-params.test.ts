import { describe, expect, it } from "vitest";
import { diffParams } from "../../../src/core/params/diff-params.js";
import { parseParamsFile } from "../../../src/core/params/parse-params-file.js";
import type { ParamsFile } from "../../../src/core/params/params-file.js";
import { stringifyPyJson } from "../../../src/core/params/stringify-py-json.js";
import { toDvcValuesDiffJson } from "../../../src/core/params/to-dvc-values-diff-json.js";
import { fixtureExpected, fixtureVersion, parsePyJson, withoutFloatNoise } from "../dvc/fixture-files.js";

function params(version: string): Map<string, ParamsFile> {
  const text = fixtureVersion(version, "").get("params.yaml")!;
  const parsed = parseParamsFile({ file: "params.yaml", text });
  if (!parsed.ok) throw new Error("fixture must parse");
  return new Map([["params.yaml", parsed.value]]);
}

function file(path: string, text: string): ParamsFile {
  const parsed = parseParamsFile({ file: path, text });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

describe("diffParams against `dvc params diff --json` (dvc 3.67.1)", () => {
  it.each([
    ["v0", "v1", false, "params-diff-v0-v1.json"],
    ["v0", "v1", true, "params-diff-all-v0-v1.json"],
    ["v1", "v2", false, "params-diff-v1-v2.json"],
    ["v1", "v2", true, "params-diff-all-v1-v2.json"],
    // Big ints, .inf, .nan, whole floats (100000.0, 1.0e+5, and 1e5, a float to DVC's YAML) and
    // lists of mappings, printed as DVC prints them.
    ["v4", "v5", false, "params-diff-v4-v5.json"],
    ["v4", "v5", true, "params-diff-all-v4-v5.json"],
  ])("%s..%s all=%s", (a, b, all, expected) => {
    expect(parsePyJson(stringifyPyJson(toDvcValuesDiffJson(diffParams({ base: params(a), head: params(b), all }))))).toEqual(withoutFloatNoise(fixtureExpected(expected)));
  });

  it("compares like Python: 1 == 1.0 == true, single-item lists by their item", () => {
    const base = new Map([["p.yaml", file("p.yaml", "a: 1\nb: true\nc: [5]\nd: [1, 2]\n")]]);
    const head = new Map([["p.yaml", file("p.yaml", "a: 1.0\nb: 1\nc: [7]\nd: [1, 2]\n")]]);
    expect(diffParams({ base, head })).toEqual([{ path: "p.yaml", key: "c", old: 5, new: 7, diff: 2, changed: true }]);
  });

  it("treats a file missing on one side as empty, and narrows to tracked keys", () => {
    const head = new Map([["p.json", file("p.json", '{"train": {"lr": 0.1, "seed": 1}, "other": "x"}')]]);
    expect(diffParams({ base: new Map(), head, keys: new Map([["p.json", ["train"]]]) })).toEqual([
      { path: "p.json", key: "train.lr", old: undefined, new: 0.1, changed: true },
      { path: "p.json", key: "train.seed", old: undefined, new: 1, changed: true },
    ]);
  });

  it("reads TOML params", () => {
    const base = new Map([["p.toml", file("p.toml", "[train]\nlr = 0.1\nepochs = 3\n")]]);
    const head = new Map([["p.toml", file("p.toml", "[train]\nlr = 0.2\nepochs = 3\n")]]);
    expect(diffParams({ base, head })).toEqual([{ path: "p.toml", key: "train.lr", old: 0.1, new: 0.2, diff: 0.1, changed: true }]);
  });
});

describe("float differences", () => {
  it("are the decimal difference of the values as written, never binary noise", () => {
    const base = new Map([["p.yaml", file("p.yaml", "lr: 0.1\nloss: 0.4\nacc: 0.88\ntiny: 1.0e-7\nwhole: 2.0\n")]]);
    const head = new Map([["p.yaml", file("p.yaml", "lr: 0.3\nloss: 0.5\nacc: 0.875\ntiny: 2.5e-8\nwhole: 3.5\n")]]);
    const diffs = Object.fromEntries(diffParams({ base, head }).map((c) => [c.key, Number(c.diff)]));
    expect(diffs).toEqual({ lr: 0.2, loss: 0.1, acc: -0.005, tiny: -7.5e-8, whole: 1.5 });
    expect(stringifyPyJson(toDvcValuesDiffJson(diffParams({ base, head })))).not.toMatch(/\d{12,}/);
  });
});
