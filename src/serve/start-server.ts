import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { Logger } from "pino";
import { createBatcher } from "./create-batcher.js";
import { createInstanceScanner } from "./create-instance-scanner.js";
import { createPredictRequestParser } from "./create-predict-request-parser.js";
import { createPredictionsEncoder } from "./create-predictions-encoder.js";
import { createRequestHandler } from "./create-request-handler.js";
import { createServeMetrics, type ServeMetrics } from "./create-serve-metrics.js";
import type { ModelSpec } from "./describe-model.js";
import { loadModel, type LoadedModel } from "./load-model.js";
import { renderModelMetadata } from "./render-model-metadata.js";
import type { ServeConfig } from "./serve-config.js";
import type { ModelRuntime, ServerState } from "./server-state.js";

export interface ServerHandle {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Settles when the model is loaded (the server is ready) or failed to load. */
  readonly ready: Promise<void>;
  readonly state: Readonly<ServerState>;
  /** This server's own metrics (a cluster worker sends their snapshot to the primary). */
  readonly metrics: ServeMetrics;
  /**
   * Graceful shutdown: stop accepting connections, close idle keep-alive ones, let in-flight
   * requests finish (answered with `Connection: close`), cut what is left after
   * `shutdownTimeoutMs`, then release the session. Safe to call more than once.
   */
  close(reason?: string): Promise<void>;
}

export type ModelLoader = (params: Pick<ServeConfig, "modelPath" | "intraOpThreads">) => Promise<LoadedModel>;

/**
 * Starts listening first, then loads the model (GET /ready answers 503 until it is loaded), so
 * an orchestrator sees the process up at once and routes traffic only when it can be served.
 * Rejects only when the port cannot be bound; a model that fails to load rejects `ready`.
 */
export async function startServer(params: {
  config: Omit<ServeConfig, "logLevel" | "workers">;
  logger: Logger;
  /** Defaults to `loadModel`; tests wrap it to hold the server in its loading phase. */
  load?: ModelLoader;
  /** Runs once the model is loaded, before the server says it is ready (a cluster worker waits for its siblings here). */
  beforeReady?: (spec: ModelSpec, loadSeconds: number) => Promise<void>;
  /** The /metrics page; defaults to this server's own metrics (a cluster worker asks the primary for all workers'). */
  metricsPage?: (own: ServeMetrics) => Promise<string>;
}): Promise<ServerHandle> {
  const { config, logger } = params;
  const load = params.load ?? loadModel;
  const state: ServerState = { phase: "loading", model: undefined, failure: undefined };
  const metrics = createServeMetrics();
  const metricsPage = params.metricsPage ?? ((own: ServeMetrics) => own.render());
  const handler = createRequestHandler({ state, metrics, logger, maxBodyBytes: config.maxBodyBytes, metricsPage: () => metricsPage(metrics) });
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 20_000, requestTimeout: 60_000 }, handler);
  // `Expect: 100-continue`: no "100 Continue" for a body over the limit, so the client never sends it (the handler answers 413).
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!(Number(req.headers["content-length"]) > config.maxBodyBytes)) res.writeContinue();
    handler(req, res);
  });
  // Malformed HTTP gets node's own answer (400, 408 on a timeout, 431 for huge headers) and never reaches the handler.
  await listen(server, config.host, config.port);
  server.on("error", (e) => logger.error({ err: e }, "server error"));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, model: config.modelPath, maxBatch: config.maxBatch, maxBodyBytes: config.maxBodyBytes, intraOpThreads: config.intraOpThreads }, "listening; loading the model");

  let loaded: LoadedModel | undefined;
  const ready = load({ modelPath: config.modelPath, intraOpThreads: config.intraOpThreads }).then(
    async (model) => {
      if (state.phase === "draining") {
        await model.release();
        return;
      }
      loaded = model;
      const runtime = createModelRuntime({ model, config, metrics });
      await params.beforeReady?.(model.spec, model.loadSeconds);
      if (isDraining(state)) return; // close() releases the session
      state.model = runtime;
      state.phase = "ready";
      metrics.modelLoaded(model.spec, model.loadSeconds);
      const { spec } = model;
      logger.info({ model: spec.name, sha256: spec.sha256, features: spec.featureCount, classes: spec.classes, loadSeconds: model.loadSeconds }, "model loaded; ready");
    },
    (e: unknown) => {
      if (state.phase !== "draining") state.phase = "failed";
      state.failure = (e as Error).message;
      logger.error({ err: e }, "the model could not be loaded");
      throw e;
    },
  );
  ready.catch(() => undefined); // the caller decides what a failed load means; never an unhandled rejection

  let closing: Promise<void> | undefined;
  const close = (reason = "close") => (closing ??= drain({ server, state, logger, timeoutMs: config.shutdownTimeoutMs, reason, release: () => loaded?.release() }));
  return { url, port, server, ready, state, metrics, close };
}

/** Binds the port; rejects with what to change when it cannot. */
function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${host}:${port}: ${e.code === "EADDRINUSE" ? "the port is in use (set SERVE_PORT or --port)" : e.message}`, { cause: e })));
    server.listen(port, host, () => resolve());
  });
}

/** Stops taking connections, lets in-flight requests finish (until the deadline), then releases the model. */
async function drain(p: { server: Server; state: ServerState; logger: Logger; timeoutMs: number; reason: string; release: () => Promise<void> | undefined }): Promise<void> {
  const { server, state, logger, timeoutMs } = p;
  state.phase = "draining";
  logger.info({ reason: p.reason, timeoutMs }, "shutting down: no new connections, finishing in-flight requests");
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, "shutdown deadline reached; closing the remaining connections");
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearTimeout(deadline);
  await state.model?.batcher.idle();
  await p.release();
  logger.info("stopped");
}

/** A function, not an inline check: the phase may change while the caller awaits. */
function isDraining(state: ServerState): boolean {
  return state.phase === "draining";
}

/** What answers /predict with a loaded model: the body readers, the encoder, the batcher, the /metadata body. */
function createModelRuntime(params: { model: LoadedModel; config: Omit<ServeConfig, "logLevel" | "workers">; metrics: ServeMetrics }): ModelRuntime {
  const { model, config, metrics } = params;
  const { spec } = model;
  return {
    spec,
    scan: createInstanceScanner({ featureCount: spec.featureCount, maxBatch: config.maxBatch }),
    parse: createPredictRequestParser({ featureCount: spec.featureCount, featureNames: spec.featureNames, maxBatch: config.maxBatch }),
    encode: createPredictionsEncoder(spec),
    batcher: createBatcher({ run: model.run, featureCount: spec.featureCount, maxRows: config.maxBatch, onRun: (rows, requests) => metrics.run(rows, requests) }),
    metadataJson: renderModelMetadata({
      spec,
      file: path.basename(config.modelPath),
      loadedAt: new Date(),
      loadSeconds: model.loadSeconds,
      maxBatch: config.maxBatch,
      maxBodyBytes: config.maxBodyBytes,
      runtime: { "onnxruntime-node": ort.env.versions.node ?? "unknown", node: process.version },
    }),
  };
}
