import { formatProblem } from "../../core/problem.js";
import { createServeLogger } from "../../serve/create-serve-logger.js";
import { runServerUntilSignal } from "../../serve/run-server-until-signal.js";
import { parseServeConfig, serveFlags, type ServeSetting } from "../../serve/serve-config.js";
import type { CliCommand } from "../cli-command.js";

const USAGE = `Usage: mlops-bot serve [--model PATH] [--port N] [--host H] [--max-batch N] [options]

Serves an ONNX classifier over HTTP with onnxruntime (CPU), one worker process per core on
one port, each with its own session: POST /predict, GET /health, /ready, /metadata and
/metrics (Prometheus, all workers added up). Logs are JSON lines on stdout. SIGTERM or Ctrl-C
stops it gracefully: in-flight requests finish first. See docs/serving.md.

Options (each also an environment variable; a flag wins):
  --model PATH               MODEL_PATH               the model (default ml/models/model.onnx)
  --host H                   SERVE_HOST               default 127.0.0.1; 0.0.0.0 in a container
  --port N                   SERVE_PORT, else PORT    default 8080; 0 picks a free port
  --max-batch N              SERVE_MAX_BATCH          most instances per request (default 1000)
  --max-body-bytes N         SERVE_MAX_BODY_BYTES     larger bodies get 413 (default 1048576)
  --workers N                SERVE_WORKERS            worker processes (default: the number of cores)
  --threads N                SERVE_INTRA_OP_THREADS   onnxruntime intra-op threads per worker (default 1)
  --shutdown-timeout-ms N    SERVE_SHUTDOWN_TIMEOUT_MS  drain deadline (default 10000)
  --log-level L              LOG_LEVEL                info (default), debug (a line per request), ...`;

/** `mlops-bot serve`: the inference server in the foreground, until a signal. */
export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Serve the ONNX model over HTTP (predict, health, ready, metadata, metrics)",
  usage: USAGE,
  async run(args, io) {
    const flags = parseArgs(args);
    if (typeof flags === "string") {
      io.err(`mlops-bot serve: ${flags}\n\n${USAGE}\n`);
      return 2;
    }
    const config = parseServeConfig({ env: io.env, cwd: io.cwd, flags });
    if (!config.ok) {
      io.err(`mlops-bot serve: invalid settings:\n${config.error.map((p) => `  ${formatProblem(p)}`).join("\n")}\n`);
      return 2;
    }
    return runServerUntilSignal({
      config: config.value,
      logger: createServeLogger(config.value),
      onStarted: (handle) => io.err(`mlops-bot serve: ${handle.url} serving ${config.value.modelPath} (Ctrl-C stops)\n`),
    });
  },
};

function parseArgs(args: readonly string[]): Partial<Record<ServeSetting, string>> | string {
  const flags: Partial<Record<ServeSetting, string>> = {};
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const setting = serveFlags.get(flag);
    if (!setting) return `unknown option "${arg}"`;
    const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : args[++k];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) return `${flag} needs a value`;
    flags[setting] = value;
  }
  return flags;
}
