import { describe, expect, it } from "vitest";
import { formatPythonNumber, formatPythonValue } from "../../../src/core/params/format-python-value.js";

describe("formatPythonValue", () => {
  it("prints like Python's str()", () => {
    expect(formatPythonValue([8, 4])).toBe("[8, 4]");
    expect(formatPythonValue(["a", "it's", true, null, 0.5])).toBe(`['a', "it's", True, None, 0.5]`);
    expect(formatPythonValue({ a: [1] })).toBe("{'a': [1]}");
    expect(formatPythonValue("plain")).toBe("plain");
  });

  it("prints floats in Python's repr", () => {
    expect([1e-5, 0.0001, 1e16, 1.5e-7, 123.25, -2.5e20, Infinity, NaN].map(formatPythonNumber)).toEqual(["1e-05", "0.0001", "1e+16", "1.5e-07", "123.25", "-2.5e+20", "inf", "nan"]);
  });
});
