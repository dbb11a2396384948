import { describe, expect, it } from "vitest";
import { diffMetrics } from "../../../src/core/metrics/diff-metrics.js";
import { parseMetricsFile } from "../../../src/core/metrics/parse-metrics-file.js";
import type { ParamsFile } from "../../../src/core/params/params-file.js";
import { stringifyPyJson } from "../../../src/core/params/stringify-py-json.js";
import { toDvcValuesDiffJson } from "../../../src/core/params/to-dvc-values-diff-json.js";
import { fixtureExpected, fixtureVersion, parsePyJson, withoutFloatNoise } from "../dvc/fixture-files.js";

/** The version's metrics files (`metrics.json`, and from v4 `edge_metrics.json`). */
function metrics(version: string): Map<string, ParamsFile> {
  const files = fixtureVersion(version, "");
  const out = new Map<string, ParamsFile>();
  for (const file of ["metrics.json", "edge_metrics.json"]) {
    const text = files.get(file);
    if (text === undefined) continue;
    const parsed = parseMetricsFile({ file, text });
    if (!parsed.ok) throw new Error(`fixture ${file} must parse: ${JSON.stringify(parsed.error)}`);
    out.set(file, parsed.value);
  }
  return out;
}

describe("diffMetrics against `dvc metrics diff --json` (dvc 3.67.1)", () => {
  it.each([
    ["v0", "v1", false, "metrics-diff-v0-v1.json"],
    ["v0", "v1", true, "metrics-diff-all-v0-v1.json"],
    ["v1", "v2", false, "metrics-diff-v1-v2.json"],
    ["v1", "v2", true, "metrics-diff-all-v1-v2.json"],
    // A metrics file written by Python's json: Infinity, NaN, a big int, whole floats.
    ["v4", "v5", false, "metrics-diff-v4-v5.json"],
    ["v4", "v5", true, "metrics-diff-all-v4-v5.json"],
  ])("%s..%s all=%s", (a, b, all, expected) => {
    expect(parsePyJson(stringifyPyJson(toDvcValuesDiffJson(diffMetrics({ base: metrics(a), head: metrics(b), all }))))).toEqual(withoutFloatNoise(fixtureExpected(expected)));
  });

  it("drops lists and nulls, keeps strings without a diff", () => {
    const parse = (text: string) => {
      const r = parseMetricsFile({ file: "m.yaml", text });
      if (!r.ok) throw new Error("must parse");
      return new Map([["m.yaml", r.value]]);
    };
    expect(diffMetrics({ base: parse("acc: 0.5\nh: [1]\nn: null\nname: a\n"), head: parse("acc: 0.75\nh: [2]\nn: 1\nname: b\n") })).toEqual([
      { path: "m.yaml", key: "acc", old: 0.5, new: 0.75, diff: 0.25, changed: true },
      { path: "m.yaml", key: "n", old: undefined, new: 1, changed: true },
      { path: "m.yaml", key: "name", old: "a", new: "b", changed: true },
    ]);
  });
});
