import { describe, expect, it } from "vitest";
import { decimatePoints } from "../../../src/core/plots/decimate-points.js";
import { measureNesting } from "../../../src/core/plots/measure-nesting.js";
import { parseDelimited } from "../../../src/core/plots/parse-delimited.js";
import { resampleCurve } from "../../../src/core/plots/resample-curve.js";
import { resolvePlotPath } from "../../../src/core/plots/resolve-plot-path.js";

describe("measureNesting", () => {
  it("counts brackets outside strings and comments, and YAML block indentation", () => {
    expect(measureNesting('{"a": [1, {"b": "[[[["}]}', "json")).toBe(3);
    expect(measureNesting("a:\n  b:\n    - c: 1\n      d: [1, [2]]\n# [[[[[[\ne: '[[['\n", "yaml")).toBe(6);
    expect(measureNesting("- - - x\n", "yaml")).toBe(4);
    expect(measureNesting(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, "json")).toBe(100_000);
    expect(measureNesting(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, "yaml")).toBe(100_001);
  });
});

describe("parseDelimited", () => {
  it("reads quotes, doubled quotes, CRLF, empty cells and a missing final newline", () => {
    expect(parseDelimited('a,b\r\n"x, ""y""",\n\n3,"multi\nline"', ",", 10)).toEqual({
      rows: [["a", "b"], ['x, "y"', ""], ["3", "multi\nline"]],
      truncated: false,
    });
    expect(parseDelimited("a\tb\n1\t2\n", "\t", 10).rows).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("stops at the row limit and says so", () => {
    expect(parseDelimited("h\n1\n2\n3\n", ",", 2)).toEqual({ rows: [["h"], ["1"]], truncated: true });
    expect(parseDelimited("h\n1\n", ",", 2)).toEqual({ rows: [["h"], ["1"]], truncated: false });
  });

  it("reads an unclosed quote to the end instead of failing", () => {
    expect(parseDelimited('a\n"open', ",", 10).rows).toEqual([["a"], ["open"]]);
  });
});

describe("resampleCurve", () => {
  it("interpolates on the grid; a vertical step takes its top; ends are held", () => {
    const roc = [[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]] as const;
    expect(resampleCurve(roc, [0, 0.25, 0.5, 0.75, 1], "interpolate")).toEqual([0.5, 0.5, 1, 1, 1]);
    expect(resampleCurve([[1, 10], [3, 30]], [0, 2, 4], "interpolate")).toEqual([10, 20, 30]);
  });

  it("averages the points nearest each grid position and fills gaps between neighbours", () => {
    expect(resampleCurve([[0, 1], [0.1, 3], [2, 10]], [0, 1, 2], "mean")).toEqual([2, 6, 10]);
  });
});

describe("decimatePoints", () => {
  it("keeps the ends, the count asked for, and the peak of a spike", () => {
    const points = Array.from({ length: 5000 }, (_, i) => [i, i === 2500 ? 100 : 0] as [number, number]);
    const kept = decimatePoints(points, 100);
    expect(kept).toHaveLength(100);
    expect(kept[0]).toEqual([0, 0]);
    expect(kept.at(-1)).toEqual([4999, 0]);
    expect(kept).toContainEqual([2500, 100]);
    expect(decimatePoints(points.slice(0, 10), 100)).toHaveLength(10);
  });
});

describe("resolvePlotPath", () => {
  it("joins dvc.yaml's folder, wdir and path, and refuses anything outside the repository", () => {
    expect(resolvePlotPath("ml", "sub", "../plots/x.json")).toEqual({ ok: true, value: "ml/plots/x.json" });
    expect(resolvePlotPath("ml", "", "../../x.json").ok).toBe(false);
    expect(resolvePlotPath("", "", "C:/x.json").ok).toBe(false);
    expect(resolvePlotPath("ml", "", "a\\..\\..\\x.json").ok).toBe(false);
    expect(resolvePlotPath("ml", "", "a\nb.json").ok).toBe(false);
  });
});
