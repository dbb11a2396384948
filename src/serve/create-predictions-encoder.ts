import type { ModelSpec } from "./describe-model.js";

/** The model's outputs for a run: `labels[k]`, and `probabilities[k * classes + c]`. */
export interface RunOutputs {
  readonly labels: ArrayLike<bigint | string>;
  readonly probabilities: Float32Array;
}

/** Writes `{"predictions":[...]}` for rows `start..start+count-1` of a run's outputs. */
export type PredictionsEncoder = (outputs: RunOutputs, start: number, count: number) => string;

/**
 * Builds the JSON writer of `/predict` answers for one model. Each prediction is
 * `{"label": <class>, "probabilities": {"<class>": p, ...}}`, classes in the model's order.
 * The strings are concatenated directly (keys precomputed) instead of building objects for
 * JSON.stringify: this is the hot path of every request. Probabilities are the float32 values
 * widened to float64, printed in full; a non-finite one (a broken model) is written as null.
 */
export function createPredictionsEncoder(spec: Pick<ModelSpec, "classes" | "labelType">): PredictionsEncoder {
  const width = spec.classes.length;
  const keys = spec.classes.map((c, i) => `${i === 0 ? '"probabilities":{' : ","}${JSON.stringify(String(c))}:`);
  const stringLabels = spec.labelType === "string";
  return (outputs, start, count) => {
    const { labels, probabilities } = outputs;
    let out = '{"predictions":[';
    for (let k = start; k < start + count; k++) {
      const label = labels[k]!;
      out += `${k === start ? "" : ","}{"label":${stringLabels ? JSON.stringify(label) : String(label)},`;
      const base = k * width;
      for (let c = 0; c < width; c++) {
        const p = probabilities[base + c]!;
        out += keys[c]! + (Number.isFinite(p) ? String(p) : "null");
      }
      out += "}}";
    }
    return `${out}]}`;
  };
}
