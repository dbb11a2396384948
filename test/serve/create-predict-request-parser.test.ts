import { describe, expect, it } from "vitest";
import { createPredictRequestParser, describeFeatures } from "../../src/serve/create-predict-request-parser.js";

const featureNames = ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"];
const parse = createPredictRequestParser({ featureCount: 10, featureNames, maxBatch: 5 });
const row = (k = 0) => Array.from({ length: 10 }, (_, j) => k * 10 + j + 0.5);
const named = (values: number[]) => Object.fromEntries(values.map((v, j) => [`f${j}`, v]));

describe("createPredictRequestParser", () => {
  it("turns lists and named objects into one float32 input, in order", () => {
    const result = parse({ instances: [row(0), named(row(1)), row(2)] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.count).toBe(3);
    expect(Array.from(result.value.rows)).toEqual([...row(0), ...row(1), ...row(2)]);
  });

  it("reads object keys in any order", () => {
    const reversed = Object.fromEntries(Object.entries(named(row(4))).reverse());
    const result = parse({ instances: [reversed] });
    expect(result.ok && Array.from(result.value.rows)).toEqual(row(4));
  });

  it("rounds to float32 as the model sees it", () => {
    const result = parse({ instances: [[0.1, 1e-50, -0, 3.4e38, 1, 2, 3, 4, 5, 6]] });
    expect(result.ok && Array.from(result.value.rows.slice(0, 4))).toEqual([Math.fround(0.1), 0, -0, Math.fround(3.4e38)]);
  });

  const cases: [string, unknown, { code: string; message: string; field?: string }][] = [
    ["a row with too few features", { instances: [row(), row(), row(), row().slice(1)] }, { code: "wrong_feature_count", message: "instances[3] has 9 features; the model takes 10 (f0..f9)", field: "instances[3]" }],
    ["a row with one feature", { instances: [[1]] }, { code: "wrong_feature_count", message: "instances[0] has 1 feature; the model takes 10 (f0..f9)", field: "instances[0]" }],
    ["a string feature", { instances: [[0, 0, "abc", 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: 'instances[0][2] is a string ("abc"); features must be finite numbers', field: "instances[0][2]" }],
    ["a numeric string", { instances: [[0, 0, " 1.5", 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: 'instances[0][2] is a string (" 1.5"); send 1.5 without quotes', field: "instances[0][2]" }],
    ['"NaN"', { instances: [[0, 0, 0, 0, 0, 0, 0, 0, 0, "NaN"]] }, { code: "invalid_feature", message: 'instances[0][9] is a string ("NaN"); JSON has no NaN or Infinity, and the model takes finite numbers only', field: "instances[0][9]" }],
    ['"-Infinity"', { instances: [[0, 0, 0, 0, 0, 0, 0, 0, 0, "-Infinity"]] }, { code: "invalid_feature", message: 'instances[0][9] is a string ("-Infinity"); JSON has no NaN or Infinity, and the model takes finite numbers only', field: "instances[0][9]" }],
    ["Infinity (what 1e999 parses to)", { instances: [[Infinity, 0, 0, 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: "instances[0][0] is Infinity (a JSON number too large for float64, like 1e999); features must be finite numbers", field: "instances[0][0]" }],
    ["a number past float32", { instances: [[0, -1e39, 0, 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: "instances[0][1] is -1e+39, outside the float32 range of the model (±3.4e38)", field: "instances[0][1]" }],
    ["null", { instances: [[null, 0, 0, 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: "instances[0][0] is null; features must be finite numbers", field: "instances[0][0]" }],
    ["a boolean", { instances: [[true, 0, 0, 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: "instances[0][0] is a boolean (true); features must be finite numbers", field: "instances[0][0]" }],
    ["a nested list", { instances: [[[1], 0, 0, 0, 0, 0, 0, 0, 0, 0]] }, { code: "invalid_feature", message: "instances[0][0] is a list; features must be finite numbers", field: "instances[0][0]" }],
    ["an empty batch", { instances: [] }, { code: "empty_batch", message: 'instances is empty; send at least one instance, like {"instances": [[f0, ..., f9], ...]}', field: "instances" }],
    ["too many instances", { instances: [row(), row(), row(), row(), row(), row()] }, { code: "batch_too_large", message: "instances has 6 instances; the most in one request is 5 (SERVE_MAX_BATCH): split the batch", field: "instances" }],
    ["a list body", [row()], { code: "invalid_body", message: 'the body is a list; send a JSON object like {"instances": [[f0, ..., f9], ...]}' }],
    ["a number body", 42, { code: "invalid_body", message: 'the body is the number 42; send a JSON object like {"instances": [[f0, ..., f9], ...]}' }],
    ["no instances", {}, { code: "invalid_body", message: 'the body has no "instances"; send {"instances": [[f0, ..., f9], ...]}', field: "instances" }],
    ["instances that are not a list", { instances: "1,2,3" }, { code: "invalid_body", message: 'instances is a string ("1,2,3"); it must be a list of instances, like {"instances": [[f0, ..., f9], ...]}', field: "instances" }],
    ["an unknown top-level field", { instances: [row()], instance: [] }, { code: "invalid_body", message: 'the body has an unknown field "instance"; it takes only "instances", like {"instances": [[f0, ..., f9], ...]}', field: "instance" }],
    ["a row that is a string", { instances: [row(), "0,1,2"] }, { code: "invalid_instance", message: 'instances[1] is a string ("0,1,2"); each instance is a list of 10 numbers or an object keyed by feature name', field: "instances[1]" }],
    ["a row that is null", { instances: [null] }, { code: "invalid_instance", message: "instances[0] is null; each instance is a list of 10 numbers or an object keyed by feature name", field: "instances[0]" }],
    ["an object missing features", { instances: [{ f0: 1, f1: 2, f2: 3, f4: 4, f5: 5, f6: 6, f7: 7, f8: 8 }] }, { code: "missing_feature", message: 'instances[0] is missing features "f3", "f9"; the model takes 10 (f0..f9)', field: "instances[0].f3" }],
    ["an object with an unknown feature", { instances: [{ ...named(row()), "f 10": 1 }] }, { code: "unknown_feature", message: 'instances[0] has an unknown feature "f 10"; the model takes 10 (f0..f9)', field: 'instances[0]["f 10"]' }],
    ["an object with a bad value", { instances: [{ ...named(row()), f7: "x" }] }, { code: "invalid_feature", message: 'instances[0].f7 is a string ("x"); features must be finite numbers', field: "instances[0].f7" }],
  ];

  it.each(cases)("refuses %s with 400 and says what is wrong", (_, body, expected) => {
    expect(parse(body)).toEqual({ ok: false, error: { status: 400, ...expected } });
  });

  it("refuses named objects when the model has no feature names", () => {
    const unnamed = createPredictRequestParser({ featureCount: 2, featureNames: null, maxBatch: 10 });
    expect(unnamed({ instances: [{ a: 1, b: 2 }] })).toEqual({
      ok: false,
      error: { status: 400, code: "invalid_instance", message: "instances[0] is an object, but the model has no feature names in its metadata; send a list of 2 numbers", field: "instances[0]" },
    });
    expect(unnamed({ instances: [[1, 2, 3]] })).toMatchObject({ ok: false, error: { message: "instances[0] has 3 features; the model takes 2 (2 unnamed features)" } });
  });
});

describe("describeFeatures", () => {
  it("shortens numbered names to a range and long lists with an ellipsis", () => {
    expect(describeFeatures(featureNames, 10)).toBe("f0..f9");
    expect(describeFeatures(["age", "income"], 2)).toBe("age, income");
    expect(describeFeatures(["a", "b", "c", "d", "e", "f", "g"], 7)).toBe("a, b, c, ..., g");
    expect(describeFeatures(["x1", "x3", "x4"], 3)).toBe("x1, x3, x4");
  });
});
