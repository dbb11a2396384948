import { describe, expect, it } from "vitest";
import { createPredictionsEncoder } from "../../src/serve/create-predictions-encoder.js";

describe("createPredictionsEncoder", () => {
  const probabilities = new Float32Array([0.75, 0.25, 0.1, 0.9, 0.5, 0.5]);

  it("writes the requested rows as JSON, probabilities keyed by class", () => {
    const encode = createPredictionsEncoder({ classes: [0, 1], labelType: "int64" });
    const text = encode({ labels: new BigInt64Array([0n, 1n, 0n]), probabilities }, 1, 2);
    expect(JSON.parse(text)).toEqual({
      predictions: [
        { label: 1, probabilities: { "0": Math.fround(0.1), "1": Math.fround(0.9) } },
        { label: 0, probabilities: { "0": 0.5, "1": 0.5 } },
      ],
    });
  });

  it("quotes string labels and class keys", () => {
    const encode = createPredictionsEncoder({ classes: ["no", 'say "yes"'], labelType: "string" });
    const text = encode({ labels: ['say "yes"'], probabilities: new Float32Array([0.25, 0.75]) }, 0, 1);
    expect(JSON.parse(text)).toEqual({ predictions: [{ label: 'say "yes"', probabilities: { no: 0.25, 'say "yes"': 0.75 } }] });
  });

  it("writes ASCII only: labels and class names past it become \\u escapes of the same text", () => {
    const classes = ["caf\u00e9", "\u{1F600} \u2028", "\ud800"];
    const encode = createPredictionsEncoder({ classes, labelType: "string" });
    const text = encode({ labels: ["\u{1F600} \u2028"], probabilities: new Float32Array([0.25, 0.5, 0.25]) }, 0, 1);
    expect(text).not.toMatch(/[\u0080-\uffff]/);
    expect(JSON.parse(text)).toEqual({ predictions: [{ label: "\u{1F600} \u2028", probabilities: { "caf\u00e9": 0.25, "\u{1F600} \u2028": 0.5, "\ud800": 0.25 } }] });
  });

  it("writes null for a probability that is not finite, keeping the JSON valid", () => {
    const encode = createPredictionsEncoder({ classes: [0, 1], labelType: "int64" });
    const text = encode({ labels: new BigInt64Array([1n]), probabilities: new Float32Array([NaN, Infinity]) }, 0, 1);
    expect(JSON.parse(text)).toEqual({ predictions: [{ label: 1, probabilities: { "0": null, "1": null } }] });
  });
});
