import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readOnnxModelProto } from "../../src/serve/read-onnx-model-proto.js";
import { MODEL_PATH } from "./serve-fixture.js";

describe("readOnnxModelProto", () => {
  const bytes = readFileSync(MODEL_PATH);

  it("reads the header of the exported model: opsets, metadata_props, producer", () => {
    const result = readOnnxModelProto(bytes);
    if (!result.ok) throw new Error(result.error);
    const proto = result.value;
    expect(proto.irVersion).toBeGreaterThanOrEqual(7);
    expect(proto.producerName).toBe("skl2onnx");
    expect(Object.fromEntries(proto.opsets)).toEqual({ "": 17, "ai.onnx.ml": 1 });
    expect(Object.fromEntries(proto.metadataProps)).toEqual({
      feature_names: '["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"]',
      classes: "[0, 1]",
      model: "gradient_boosting",
    });
  });

  it("refuses bytes that are not an ONNX model, without throwing", () => {
    expect(readOnnxModelProto(new TextEncoder().encode("not a model at all"))).toMatchObject({ ok: false, error: expect.stringMatching(/^not an ONNX model/) });
    expect(readOnnxModelProto(new Uint8Array(0))).toEqual({ ok: false, error: "not an ONNX model (no graph)" });
  });

  it("refuses a truncated model", () => {
    const result = readOnnxModelProto(bytes.subarray(0, bytes.length - 100));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/runs past the end|bad varint/);
  });
});
