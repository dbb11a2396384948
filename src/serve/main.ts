/**
 * `npm run serve`: the inference server, configured by the environment (docs/serving.md):
 * MODEL_PATH, SERVE_HOST, SERVE_PORT (or PORT), SERVE_MAX_BATCH, SERVE_MAX_BODY_BYTES,
 * SERVE_INTRA_OP_THREADS, SERVE_SHUTDOWN_TIMEOUT_MS, LOG_LEVEL.
 */
import { formatProblem } from "../core/problem.js";
import { createServeLogger } from "./create-serve-logger.js";
import { parseServeConfig } from "./serve-config.js";
import { runServerUntilSignal } from "./run-server-until-signal.js";

const config = parseServeConfig({ env: process.env, cwd: process.cwd() });
if (!config.ok) {
  console.error(`serve: invalid configuration:\n${config.error.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
  process.exitCode = 2;
} else {
  const code = await runServerUntilSignal({ config: config.value, logger: createServeLogger(config.value) });
  process.exitCode = code;
  // Everything is closed; if a native handle still holds the loop, do not hang the orchestrator.
  setTimeout(() => process.exit(code), 2000).unref();
}
