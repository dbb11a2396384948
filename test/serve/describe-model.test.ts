import { describe, expect, it } from "vitest";
import { describeModel, type IoMetadata } from "../../src/serve/describe-model.js";
import type { OnnxModelProto } from "../../src/serve/read-onnx-model-proto.js";

const names = ["f0", "f1", "f2"];
const proto = (props: Record<string, string> = { feature_names: JSON.stringify(names), classes: "[0, 1]", model: "gb" }): OnnxModelProto => ({
  irVersion: 8,
  producerName: "skl2onnx",
  producerVersion: "1.20.0",
  modelVersion: 0,
  graphName: "pipeline",
  opsets: new Map([["", 17], ["ai.onnx.ml", 1]]),
  metadataProps: new Map(Object.entries(props)),
});
const input: IoMetadata = { name: "float_input", isTensor: true, type: "float32", shape: ["", 3] };
const outputs: IoMetadata[] = [
  { name: "label", isTensor: true, type: "int64", shape: [""] },
  { name: "probabilities", isTensor: true, type: "float32", shape: ["", 2] },
];
const describe_ = (p: Partial<Parameters<typeof describeModel>[0]>) => describeModel({ proto: proto(), inputs: [input], outputs, sha256: "ab".repeat(32), bytes: 10, ...p });

describe("describeModel", () => {
  it("describes a model that fits the contract", () => {
    const result = describe_({});
    expect(result).toEqual({
      ok: true,
      value: {
        name: "gb",
        sha256: "ab".repeat(32),
        bytes: 10,
        input: { name: "float_input", type: "float32", shape: [null, 3] },
        outputs: [
          { name: "label", type: "int64", shape: [null] },
          { name: "probabilities", type: "float32", shape: [null, 2] },
        ],
        featureCount: 3,
        featureNames: names,
        classes: [0, 1],
        labelOutput: "label",
        probabilitiesOutput: "probabilities",
        labelType: "int64",
        opsets: { "ai.onnx": 17, "ai.onnx.ml": 1 },
        irVersion: 8,
        producer: "skl2onnx 1.20.0",
      },
    });
  });

  it("works without metadata: no feature names, classes 0..k-1, the graph's name", () => {
    const result = describe_({ proto: proto({}) });
    expect(result.ok && result.value).toMatchObject({ name: "pipeline", featureNames: null, classes: [0, 1] });
  });

  it.each([
    ["two inputs", { inputs: [input, input] }, 'the model has 2 inputs ("float_input", "float_input"); the server needs exactly one, float32 [N, features]'],
    ["a float64 input", { inputs: [{ ...input, type: "float64" }] }, 'input "float_input" is float64 [N, 3]; the server needs float32 [N, features] with a fixed number of features'],
    ["a symbolic feature dimension", { inputs: [{ ...input, shape: ["N", "F"] }] }, 'input "float_input" is float32 [N, F]; the server needs float32 [N, features] with a fixed number of features'],
    ["a ZipMap output", { outputs: [outputs[0]!, { name: "output_probability", isTensor: false }] }, 'the model\'s outputs are "label", "output_probability"; the server needs "label" and "probabilities" (skl2onnx with options {zipmap: False})'],
    ["feature names of the wrong length", { proto: proto({ feature_names: '["a", "b"]' }) }, "metadata_props.feature_names has 2 names but the input takes 3 features"],
    ["feature names that are not JSON", { proto: proto({ feature_names: "a,b,c" }) }, 'metadata_props.feature_names is not JSON ("a,b,c"); expected a JSON list of 3 names'],
    ["duplicate feature names", { proto: proto({ feature_names: '["a", "a", "b"]' }) }, "metadata_props.feature_names has duplicate names"],
    ["classes that do not match the columns", { proto: proto({ classes: "[0, 1, 2]" }) }, 'output "probabilities" has 2 columns but metadata_props.classes lists 3 classes'],
  ])("refuses %s, saying why", (_, params, message) => {
    expect(describe_(params)).toEqual({ ok: false, error: message });
  });

  it("names the problem in classes that are not a list of labels", () => {
    const result = describe_({ proto: proto({ classes: '{"a": 1}' }) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^metadata_props\.classes is invalid: .*expected array/);
  });
});
