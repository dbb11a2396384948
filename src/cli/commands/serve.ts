import { ok } from "../../core/result.js";
import { defineCommand } from "../define-command.js";

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

/** The flags by long name; the server's settings (serve-config.ts) say which setting each one is. */
export const serveOptions = {
  model: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  "max-batch": { type: "string" },
  "max-body-bytes": { type: "string" },
  workers: { type: "string" },
  threads: { type: "string" },
  "shutdown-timeout-ms": { type: "string" },
  "log-level": { type: "string" },
} as const;

export type ServeFlags = Partial<Record<keyof typeof serveOptions, string>>;

/** `mlops-bot serve`: the inference server in the foreground, until a signal. */
export const serveCommand = defineCommand({
  name: "serve",
  summary: "Serve the ONNX model over HTTP (predict, health, ready, metadata, metrics)",
  usage: USAGE,
  options: serveOptions,
  check: ({ values }) => ok<ServeFlags>(values),
  // The server drains on SIGINT / SIGTERM itself (every worker process too).
  cleansUpOnInterrupt: true,
  load: async () => {
    // onnxruntime-node is an optional peer of the package (about 290 MB, needed by nothing else).
    const missing = await import("onnxruntime-node").then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    if (missing?.code === "ERR_MODULE_NOT_FOUND") {
      return (_flags, io) => {
        io.err(RUNTIME_MISSING);
        return Promise.resolve(1);
      };
    }
    if (missing) throw missing;
    return (await import("../serve/run-serve.js")).runServe;
  },
});

const RUNTIME_MISSING = `mlops-bot serve: the inference runtime onnxruntime-node is not installed. It is optional (only serve needs it);
install it beside mlops-bot, e.g. ONNXRUNTIME_NODE_INSTALL=skip npm install -g onnxruntime-node@1.30.0
(the variable skips its CUDA download; the CPU runtime is in the package).
`;
