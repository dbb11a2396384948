import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import type { RunModel } from "./create-batcher.js";
import { describeModel, type ModelSpec } from "./describe-model.js";
import { readOnnxModelProto } from "./read-onnx-model-proto.js";

/** The one session of the server, with what it knows about its model. */
export interface LoadedModel {
  readonly spec: ModelSpec;
  readonly run: RunModel;
  readonly loadSeconds: number;
  release(): Promise<void>;
}

/** The model file is missing, unreadable, not ONNX, or not shaped as the server needs. */
export class ModelLoadError extends Error {
  constructor(readonly modelPath: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot serve ${modelPath}: ${reason}`, options);
    this.name = "ModelLoadError";
  }
}

/**
 * Reads the model file once (hashing it and reading its ONNX header), checks it against the
 * server's contract, and opens one onnxruntime session from the same bytes. Session options:
 * `intraOpThreads` threads (1 is fastest for these small tree models; see
 * docs/serving.md), one inter-op thread, sequential execution, all graph optimisations.
 */
export async function loadModel(params: { modelPath: string; intraOpThreads: number }): Promise<LoadedModel> {
  const { modelPath } = params;
  const started = performance.now();
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file (set MODEL_PATH or --model; `cd ml && dvc repro` makes ml/models/model.onnx)" : (e as Error).message;
    throw new ModelLoadError(modelPath, reason, { cause: e });
  }
  const proto = readOnnxModelProto(bytes);
  if (!proto.ok) throw new ModelLoadError(modelPath, proto.error);

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      intraOpNumThreads: params.intraOpThreads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
    });
  } catch (e) {
    throw new ModelLoadError(modelPath, `onnxruntime could not load it: ${(e as Error).message}`, { cause: e });
  }
  const described = describeModel({
    proto: proto.value,
    inputs: session.inputMetadata,
    outputs: session.outputMetadata,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    bytes: bytes.length,
  });
  if (!described.ok) {
    await session.release();
    throw new ModelLoadError(modelPath, described.error);
  }
  const spec = described.value;
  const fetches = [spec.labelOutput, spec.probabilitiesOutput];

  const run: RunModel = async (rows, count) => {
    const result = await session.run({ [spec.input.name]: new ort.Tensor("float32", rows, [count, spec.featureCount]) }, fetches);
    return {
      labels: result[spec.labelOutput]!.data as BigInt64Array | string[],
      probabilities: result[spec.probabilitiesOutput]!.data as Float32Array,
    };
  };
  return { spec, run, loadSeconds: (performance.now() - started) / 1000, release: () => session.release() };
}
