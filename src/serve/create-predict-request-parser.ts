import { z } from "zod";
import { err, ok, type Result } from "../core/result.js";
import { apiError, type ApiError } from "./api-error.js";
import type { ModelSpec } from "./describe-model.js";

/** The instances of a valid request, as the model's float32 input `[count, featureCount]`. */
export interface PredictInput {
  readonly rows: Float32Array;
  readonly count: number;
}

export type PredictRequestParser = (body: unknown) => Result<PredictInput, ApiError>;

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Builds the parser of `POST /predict` bodies for one model: `{"instances": [...]}` where each
 * instance is a list of `featureCount` numbers, or (when the model names its features) an object
 * keyed by feature name. zod checks the envelope; the rows are checked by a plain loop that
 * writes straight into the float32 input, which is both faster than a per-row schema (a
 * single-row request is the hot path) and able to say exactly which value is wrong and why.
 */
export function createPredictRequestParser(params: Pick<ModelSpec, "featureCount" | "featureNames"> & { maxBatch: number }): PredictRequestParser {
  const { featureCount, featureNames, maxBatch } = params;
  const rowContext: RowContext = {
    featureCount,
    featureNames,
    nameIndex: new Map(featureNames?.map((name, i) => [name, i])),
    takes: `the model takes ${featureCount} (${describeFeatures(featureNames, featureCount)})`,
  };
  const example = `{"instances": [[${featureNames ? `${featureNames[0]}, ..., ${featureNames[featureCount - 1]}` : `${featureCount} numbers`}], ...]}`;
  const envelope = z.strictObject({ instances: z.array(z.unknown()) });

  return (body) => {
    const parsed = envelope.safeParse(body);
    if (!parsed.success) return err(envelopeError(body, example));
    const { instances } = parsed.data;
    const count = instances.length;
    if (count === 0) return err(apiError(400, "empty_batch", `instances is empty; send at least one instance, like ${example}`, "instances"));
    if (count > maxBatch) return err(apiError(400, "batch_too_large", `instances has ${count} instances; the most in one request is ${maxBatch} (SERVE_MAX_BATCH): split the batch`, "instances"));
    const rows = new Float32Array(count * featureCount);
    for (let i = 0; i < count; i++) {
      const problem = readInstance(instances[i], i, rows, rowContext);
      if (problem) return err(problem);
    }
    return ok({ rows, count });
  };
}

/** What reading one instance needs to know about the model's features. */
interface RowContext {
  readonly featureCount: number;
  readonly featureNames: readonly string[] | null;
  readonly nameIndex: ReadonlyMap<string, number>;
  /** "the model takes 10 (f0..f9)", for the messages. */
  readonly takes: string;
}

/** Instance `i` into `rows` at its place; the error when it is not a valid instance. */
function readInstance(instance: unknown, i: number, rows: Float32Array, ctx: RowContext): ApiError | undefined {
  if (Array.isArray(instance)) return readList(instance, i, rows, ctx);
  if (instance !== null && typeof instance === "object") return readNamed(instance as Record<string, unknown>, i, rows, ctx);
  return apiError(400, "invalid_instance", `instances[${i}] is ${describe(instance)}; each instance is a list of ${ctx.featureCount} numbers${ctx.featureNames ? " or an object keyed by feature name" : ""}`, `instances[${i}]`);
}

/** `[n, ..., n]`: exactly `featureCount` numbers. */
function readList(instance: unknown[], i: number, rows: Float32Array, ctx: RowContext): ApiError | undefined {
  const { featureCount } = ctx;
  if (instance.length !== featureCount) {
    return apiError(400, "wrong_feature_count", `instances[${i}] has ${instance.length} ${plural(instance.length, "feature")}; ${ctx.takes}`, `instances[${i}]`);
  }
  const base = i * featureCount;
  for (let j = 0; j < featureCount; j++) {
    const v: unknown = instance[j];
    if (typeof v === "number" && Math.abs(v) <= FLOAT32_MAX) {
      rows[base + j] = v;
      continue;
    }
    const value = readValue(v, `instances[${i}][${j}]`);
    if (typeof value !== "number") return value;
    rows[base + j] = value;
  }
  return undefined;
}

/** `{"f0": n, ...}`: every feature name once, no other key. */
function readNamed(record: Record<string, unknown>, i: number, rows: Float32Array, ctx: RowContext): ApiError | undefined {
  const { featureNames } = ctx;
  if (!featureNames) {
    return apiError(400, "invalid_instance", `instances[${i}] is an object, but the model has no feature names in its metadata; send a list of ${ctx.featureCount} numbers`, `instances[${i}]`);
  }
  const base = i * ctx.featureCount;
  let seen = 0;
  for (const key in record) {
    const j = ctx.nameIndex.get(key);
    if (j === undefined) return apiError(400, "unknown_feature", `instances[${i}] has an unknown feature ${JSON.stringify(key)}; ${ctx.takes}`, fieldOf(i, key));
    const value = readValue(record[key], fieldOf(i, key));
    if (typeof value !== "number") return value;
    rows[base + j] = value;
    seen++;
  }
  if (seen === ctx.featureCount) return undefined;
  const missing = featureNames.filter((name) => !Object.hasOwn(record, name));
  return apiError(400, "missing_feature", `instances[${i}] is missing ${plural(missing.length, "feature")} ${missing.map((m) => JSON.stringify(m)).join(", ")}; ${ctx.takes}`, fieldOf(i, missing[0]!));
}

/** One feature value: a finite number within float32, or the error that names `field` and says what to send. */
function readValue(value: unknown, field: string): number | ApiError {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return apiError(400, "invalid_feature", `${field} is ${value} (a JSON number too large for float64, like 1e999); features must be finite numbers`, field);
    if (Math.abs(value) > FLOAT32_MAX) return apiError(400, "invalid_feature", `${field} is ${value}, outside the float32 range of the model (±3.4e38)`, field);
    return value;
  }
  const hint =
    typeof value === "string" && /^[+-]?(nan|inf|infinity)$/i.test(value.trim())
      ? "; JSON has no NaN or Infinity, and the model takes finite numbers only"
      : typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
        ? `; send ${value.trim()} without quotes`
        : "; features must be finite numbers";
  return apiError(400, "invalid_feature", `${field} is ${describe(value)}${hint}`, field);
}

function envelopeError(body: unknown, example: string): ApiError {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return apiError(400, "invalid_body", `the body is ${describe(body)}; send a JSON object like ${example}`);
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => key !== "instances");
  if (record.instances === undefined) {
    const has = unknown.length > 0 ? ` (it has ${unknown.map((k) => JSON.stringify(k)).join(", ")})` : "";
    return apiError(400, "invalid_body", `the body has no "instances"${has}; send ${example}`, "instances");
  }
  if (unknown.length > 0) return apiError(400, "invalid_body", `the body has an unknown field ${JSON.stringify(unknown[0])}; it takes only "instances", like ${example}`, unknown[0]);
  return apiError(400, "invalid_body", `instances is ${describe(record.instances)}; it must be a list of instances, like ${example}`, "instances");
}

/** `f0..f9` for numbered names, else the names (shortened past six). */
export function describeFeatures(names: readonly string[] | null, count: number): string {
  if (!names) return `${count} unnamed features`;
  const numbered = /^(.*?)(\d+)$/.exec(names[0]!);
  if (numbered && names.every((n, i) => n === `${numbered[1]}${Number(numbered[2]) + i}`) && names.length > 2) return `${names[0]}..${names[names.length - 1]}`;
  return names.length <= 6 ? names.join(", ") : `${names.slice(0, 3).join(", ")}, ..., ${names[names.length - 1]}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `a string (${JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}...` : value)})`;
  if (typeof value === "object") return "an object";
  if (typeof value === "boolean") return `a boolean (${value})`;
  return typeof value === "number" ? `the number ${value}` : typeof value;
}

function fieldOf(i: number, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `instances[${i}].${key}` : `instances[${i}][${JSON.stringify(key)}]`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
