import type { Batcher } from "./create-batcher.js";
import type { InstanceScanner } from "./create-instance-scanner.js";
import type { PredictRequestParser } from "./create-predict-request-parser.js";
import type { PredictionsEncoder } from "./create-predictions-encoder.js";
import type { ModelSpec } from "./describe-model.js";

/** The loaded model and what answers /predict with it. */
export interface ModelRuntime {
  readonly spec: ModelSpec;
  /** The single pass over plain bodies; what it does not read (undefined) goes to `parse`. */
  readonly scan: InstanceScanner;
  readonly parse: PredictRequestParser;
  readonly encode: PredictionsEncoder;
  readonly batcher: Batcher;
  /** The /metadata body, written once. */
  readonly metadataJson: string;
}

/**
 * Where the server is in its life: `loading` (listening, model not loaded yet: /ready is 503),
 * `ready`, `draining` (shutting down: in-flight requests finish, /ready is 503), `failed`
 * (the model could not be loaded).
 */
export interface ServerState {
  phase: "loading" | "ready" | "draining" | "failed";
  model: ModelRuntime | undefined;
  /** Why loading failed, for /ready. */
  failure: string | undefined;
}
