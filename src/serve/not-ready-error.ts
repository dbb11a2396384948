import { apiError, type ApiError } from "./api-error.js";
import type { ServerState } from "./server-state.js";

/** The 503 while the model loads, after a failed load, or while shutting down. */
export function notReadyError(state: Pick<ServerState, "phase" | "failure">): ApiError {
  if (state.phase === "draining") return apiError(503, "shutting_down", "the server is shutting down; retry on another instance");
  if (state.phase === "failed") return apiError(503, "model_failed", `the model could not be loaded: ${state.failure ?? "see the server log"}`);
  return apiError(503, "not_ready", "the model is still loading; retry when GET /ready answers 200");
}
