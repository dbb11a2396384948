import type { ModelSpec } from "./describe-model.js";

/** The `GET /metadata` body: what is served, how to call it, and its limits. */
export function renderModelMetadata(params: {
  spec: ModelSpec;
  file: string;
  loadedAt: Date;
  loadSeconds: number;
  maxBatch: number;
  maxBodyBytes: number;
  runtime: Readonly<Record<string, string>>;
}): string {
  const { spec } = params;
  return JSON.stringify({
    model: {
      name: spec.name,
      version: `sha256:${spec.sha256.slice(0, 12)}`,
      sha256: spec.sha256,
      file: params.file,
      bytes: spec.bytes,
      loaded_at: params.loadedAt.toISOString(),
      load_seconds: Number(params.loadSeconds.toFixed(6)),
    },
    input: spec.input,
    outputs: spec.outputs,
    feature_names: spec.featureNames,
    classes: spec.classes,
    opset: spec.opsets,
    ir_version: spec.irVersion,
    producer: spec.producer,
    limits: { max_batch: params.maxBatch, max_body_bytes: params.maxBodyBytes },
    runtime: params.runtime,
  });
}
