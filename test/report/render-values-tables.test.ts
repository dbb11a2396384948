import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffMetrics } from "../../src/core/metrics/diff-metrics.js";
import { diffParams } from "../../src/core/params/diff-params.js";
import { parseParamsFile } from "../../src/core/params/parse-params-file.js";
import type { ParamsFile } from "../../src/core/params/params-file.js";
import { renderMetricsTable } from "../../src/report/train/render-metrics-table.js";
import { renderParamsTable } from "../../src/report/train/render-params-table.js";
import { FIXTURES, fixtureVersion } from "../core/dvc/fixture-files.js";

function load(version: string, file: string): Map<string, ParamsFile> {
  const parsed = parseParamsFile({ file, text: fixtureVersion(version, "").get(file)! });
  if (!parsed.ok) throw new Error("fixture must parse");
  return new Map([[file, parsed.value]]);
}

/** The cells of the table dvc printed (columns split on 2+ spaces). */
function dvcCells(name: string): string[][] {
  return readFileSync(path.join(FIXTURES, "expected", name), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));
}

function markdownCells(table: string): string[][] {
  return table
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("| ---"))
    .map((line) => line.slice(2, -2).split(" | "));
}

describe("renderParamsTable", () => {
  const changes = diffParams({ base: load("v0", "params.yaml"), head: load("v1", "params.yaml") });

  it("renders dvc params diff's table", () => {
    expect(renderParamsTable(changes, { baseLabel: "v0", headLabel: "v1" })).toMatchInlineSnapshot(`
      "| Path | Param | v0 | v1 |
      | --- | --- | --- | --- |
      | params.yaml | prepare.name | first | second |
      | params.yaml | prepare.split | 0.2 | 0.25 |
      | params.yaml | train.batch | - | 32 |
      | params.yaml | train.dropout | 0.5 | - |
      | params.yaml | train.epochs | 10 | 12 |
      | params.yaml | train.layers | [8, 4] | [8, 4, 2] |
      "
    `);
  });

  // v4..v5: big ints, inf, nan, whole floats, lists of mappings, as DVC prints them.
  it.each([
    ["v0", "v1"],
    ["v4", "v5"],
  ])("has the same cells as `dvc params diff %s %s`", (a, b) => {
    const diff = diffParams({ base: load(a, "params.yaml"), head: load(b, "params.yaml") });
    expect(markdownCells(renderParamsTable(diff, { baseLabel: a, headLabel: b }))).toEqual(dvcCells(`params-diff-${a}-${b}.txt`));
  });

  it("escapes pipes and renders nothing for no change", () => {
    expect(renderParamsTable([{ path: "p.yaml", key: "a|b", old: "x|y", new: true, changed: true }])).toMatchInlineSnapshot(`
      "| Path | Param | base | head |
      | --- | --- | --- | --- |
      | p.yaml | a\\|b | x\\|y | True |
      "
    `);
    expect(renderParamsTable([])).toBe("");
  });
});

describe("renderMetricsTable", () => {
  const changes = diffMetrics({ base: load("v0", "metrics.json"), head: load("v1", "metrics.json") });

  it("renders dvc metrics diff's table, rounded to 5 decimals", () => {
    expect(renderMetricsTable(changes, { baseLabel: "v0", headLabel: "v1" })).toMatchInlineSnapshot(`
      "| Path | Metric | v0 | v1 | Change |
      | --- | --- | --- | --- | --- |
      | metrics.json | accuracy | 0.88 | 0.875 | -0.005 |
      | metrics.json | classes.cat.f1 | 0.84 | 0.85 | 0.01 |
      | metrics.json | loss | 0.4 | 0.5 | 0.1 |
      "
    `);
  });

  it.each([
    ["v0", "v1", "metrics.json"],
    ["v4", "v5", "edge_metrics.json"], // written by Python's json: a big int, Infinity, NaN
  ])("has the same cells as `dvc metrics diff %s %s`", (a, b, file) => {
    const diff = diffMetrics({ base: load(a, file), head: load(b, file) });
    expect(markdownCells(renderMetricsTable(diff, { baseLabel: a, headLabel: b }))).toEqual(dvcCells(`metrics-diff-${a}-${b}.txt`));
  });

  it("takes a precision, and shows - for missing sides and non-numeric changes", () => {
    const table = renderMetricsTable(
      [
        { path: "m.json", key: "auc", old: 0.123456, new: 0.1299, diff: 0.1299 - 0.123456, changed: true },
        { path: "m.json", key: "model", old: "tree", new: "forest", changed: true },
        { path: "m.json", key: "new", old: undefined, new: 3, changed: true },
      ],
      { precision: 2 },
    );
    expect(table).toMatchInlineSnapshot(`
      "| Path | Metric | base | head | Change |
      | --- | --- | --- | --- | --- |
      | m.json | auc | 0.12 | 0.13 | 0.01 |
      | m.json | model | tree | forest | - |
      | m.json | new | - | 3 | - |
      "
    `);
  });
});
