import type { ModelSpec } from "./describe-model.js";

/** The model's outputs for a run: `labels[k]`, and `probabilities[k * classes + c]`. */
export interface RunOutputs {
  readonly labels: ArrayLike<bigint | string>;
  readonly probabilities: Float32Array;
}

/** Writes `{"predictions":[...]}` for rows `start..start+count-1` of a run's outputs: ASCII only. */
export type PredictionsEncoder = (outputs: RunOutputs, start: number, count: number) => string;

/**
 * Builds the JSON writer of `/predict` answers for one model. Each prediction is
 * `{"label": <class>, "probabilities": {"<class>": p, ...}}`, classes in the model's order.
 * The text is concatenated directly, one piece per row (keys precomputed), instead of building
 * objects for JSON.stringify: this is the hot path of every request. Probabilities are the
 * float32 values widened to float64, printed in full; a non-finite one (a broken model) is
 * written as null. The text is ASCII only (string labels and class names beyond it are written
 * as \u escapes), so the server sends it without a UTF-8 pass: its length is its byte count.
 */
export function createPredictionsEncoder(spec: Pick<ModelSpec, "classes" | "labelType">): PredictionsEncoder {
  const width = spec.classes.length;
  const keys = spec.classes.map((c, i) => `${i === 0 ? ',"probabilities":{' : ","}${asciiJson(String(c))}:`);
  const label: (value: bigint | string) => string = spec.labelType === "string" ? (value) => asciiJson(String(value)) : String;
  const key0 = keys[0]!;
  return (outputs, start, count) => {
    const { labels, probabilities } = outputs;
    let out = '{"predictions":[';
    for (let k = start; k < start + count; k++) {
      const base = k * width;
      let row = `${k === start ? '{"label":' : ',{"label":'}${label(labels[k]!)}${key0}${number(probabilities[base]!)}`;
      for (let c = 1; c < width; c++) row += keys[c]! + number(probabilities[base + c]!);
      out += `${row}}}`;
    }
    return `${out}]}`;
  };
}

function number(p: number): string {
  return p - p === 0 ? String(p) : "null"; // p - p is NaN for NaN and ±Infinity
}

/** A JSON string literal in ASCII: JSON.stringify's, with every character past 0x7f as a \u escape. */
export function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
