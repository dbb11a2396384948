import { z } from "zod";
import { err, ok, type Result } from "../core/result.js";
import type { OnnxModelProto } from "./read-onnx-model-proto.js";

/** An input or output as onnxruntime reports it (symbolic dimensions are strings). */
export interface IoMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: ReadonlyArray<number | string>;
}

/** Everything the server needs to know about the loaded model, and what /metadata shows. */
export interface ModelSpec {
  /** `metadata_props.model`, else the graph name. */
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly input: { readonly name: string; readonly type: string; readonly shape: readonly (number | null)[] };
  readonly outputs: readonly { readonly name: string; readonly type: string; readonly shape: readonly (number | null)[] }[];
  /** Features per instance (the input's last dimension). */
  readonly featureCount: number;
  /** From `metadata_props.feature_names`; null when the model carries none. */
  readonly featureNames: readonly string[] | null;
  /** Class of each probability column, from `metadata_props.classes`, else 0..k-1. */
  readonly classes: readonly (number | string)[];
  readonly labelOutput: string;
  readonly probabilitiesOutput: string;
  readonly labelType: "int64" | "string";
  readonly opsets: Readonly<Record<string, number>>;
  readonly irVersion: number;
  readonly producer: string;
}

const LABEL = "label";
const PROBABILITIES = "probabilities";
const featureNamesSchema = z.array(z.string().min(1)).min(1);
const classesSchema = z.array(z.union([z.int(), z.string()])).min(2);

/**
 * Checks that a model fits the server's contract (one float32 input `[N, F]`, outputs `label`
 * `[N]` and `probabilities` `[N, K]`, as `ml/src/export.py` writes them) and gathers its
 * description. The error says what is wrong with the model and how to export it.
 */
export function describeModel(params: {
  proto: OnnxModelProto;
  inputs: readonly IoMetadata[];
  outputs: readonly IoMetadata[];
  sha256: string;
  bytes: number;
}): Result<ModelSpec, string> {
  const { proto, inputs, outputs } = params;
  if (inputs.length !== 1) return err(`the model has ${inputs.length} inputs (${names(inputs)}); the server needs exactly one, float32 [N, features]`);
  const input = inputs[0]!;
  const shape = input.shape ?? [];
  const featureCount = shape[1];
  if (!input.isTensor || input.type !== "float32" || shape.length !== 2 || typeof featureCount !== "number" || featureCount < 1) {
    return err(`input "${input.name}" is ${describeIo(input)}; the server needs float32 [N, features] with a fixed number of features`);
  }
  const label = outputs.find((o) => o.name === LABEL);
  const probabilities = outputs.find((o) => o.name === PROBABILITIES);
  if (!label || !probabilities) {
    return err(`the model's outputs are ${names(outputs)}; the server needs "${LABEL}" and "${PROBABILITIES}" (skl2onnx with options {zipmap: False})`);
  }
  if (!label.isTensor || (label.type !== "int64" && label.type !== "string")) return err(`output "${LABEL}" is ${describeIo(label)}; the server needs an int64 or string tensor [N]`);
  const width = probabilities.shape?.[1];
  if (!probabilities.isTensor || probabilities.type !== "float32" || probabilities.shape?.length !== 2) {
    return err(`output "${PROBABILITIES}" is ${describeIo(probabilities)}; the server needs a float32 tensor [N, classes] (skl2onnx with options {zipmap: False})`);
  }

  const props = proto.metadataProps;
  const featureNames = readFeatureNames(props.get("feature_names"), featureCount);
  if (!featureNames.ok) return featureNames;
  const classes = readClasses(props.get("classes"), width);
  if (!classes.ok) return classes;

  const io = (m: IoMetadata) => ({ name: m.name, type: m.type ?? "unknown", shape: (m.shape ?? []).map((d) => (typeof d === "number" ? d : null)) });
  return ok({
    name: props.get("model") || proto.graphName || "model",
    sha256: params.sha256,
    bytes: params.bytes,
    input: io(input),
    outputs: outputs.map(io),
    featureCount,
    featureNames: featureNames.value,
    classes: classes.value,
    labelOutput: LABEL,
    probabilitiesOutput: PROBABILITIES,
    labelType: label.type,
    opsets: Object.fromEntries([...proto.opsets].map(([domain, version]) => [domain === "" ? "ai.onnx" : domain, version])),
    irVersion: proto.irVersion,
    producer: [proto.producerName, proto.producerVersion].filter(Boolean).join(" "),
  });
}

/** `metadata_props.feature_names`: a JSON list of `featureCount` distinct names, or null when absent. */
function readFeatureNames(text: string | undefined, featureCount: number): Result<readonly string[] | null, string> {
  if (text === undefined) return ok(null);
  const parsed = parseJson(text, featureNamesSchema);
  if (!parsed.ok) return err(`metadata_props.feature_names ${parsed.error}; expected a JSON list of ${featureCount} names`);
  if (parsed.value.length !== featureCount) return err(`metadata_props.feature_names has ${parsed.value.length} names but the input takes ${featureCount} features`);
  if (new Set(parsed.value).size !== parsed.value.length) return err("metadata_props.feature_names has duplicate names");
  return ok(parsed.value);
}

/** `metadata_props.classes` (a JSON list of distinct labels, one per probability column), else 0..width-1. */
function readClasses(text: string | undefined, width: number | string | undefined): Result<readonly (number | string)[], string> {
  let classes: readonly (number | string)[];
  if (text !== undefined) {
    const parsed = parseJson(text, classesSchema);
    if (!parsed.ok) return err(`metadata_props.classes ${parsed.error}; expected a JSON list of class labels`);
    classes = parsed.value;
  } else if (typeof width === "number") {
    classes = Array.from({ length: width }, (_, i) => i);
  } else {
    return err(`the model has no metadata_props.classes and output "${PROBABILITIES}" has no fixed number of columns`);
  }
  if (typeof width === "number" && width !== classes.length) return err(`output "${PROBABILITIES}" has ${width} columns but metadata_props.classes lists ${classes.length} classes`);
  if (new Set(classes.map(String)).size !== classes.length) return err("metadata_props.classes has duplicate classes");
  return ok(classes);
}

function parseJson<T>(text: string, schema: z.ZodType<T>): Result<T, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err(`is not JSON (${JSON.stringify(text.slice(0, 60))})`);
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(`is invalid: ${z.prettifyError(parsed.error).replace(/\n\s*/g, " ")}`);
}

function names(list: readonly IoMetadata[]): string {
  return list.length === 0 ? "none" : list.map((m) => `"${m.name}"`).join(", ");
}

function describeIo(m: IoMetadata): string {
  if (!m.isTensor) return "not a tensor";
  const dims = (m.shape ?? []).map((d) => (typeof d === "number" ? String(d) : d || "N"));
  return `${m.type ?? "?"} [${dims.join(", ")}]`;
}
