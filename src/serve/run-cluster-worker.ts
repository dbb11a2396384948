import cluster from "node:cluster";
import type { Logger } from "pino";
import { isServeMessage, type PrimaryMessage, type WorkerMessage } from "./cluster-messages.js";
import type { MetricsSnapshot } from "./create-serve-metrics.js";
import type { ServeConfig } from "./serve-config.js";
import { startServer, type ServerHandle } from "./start-server.js";

const METRICS_TIMEOUT_MS = 5000;

/**
 * One worker of the cluster (see `runClusterPrimary`): the whole server, HTTP and its own
 * onnxruntime session, on the port the primary shares. Once its model is loaded it tells the
 * primary and says ready only when the primary answers `go` (every worker loaded), so /ready is
 * never 200 from one worker while another still answers 503. Its /metrics page is the
 * primary's aggregate of all workers. It drains on the primary's word or on its own SIGTERM or
 * SIGINT (a terminal's Ctrl-C reaches every process of the group), and when the primary is gone.
 * Resolves with the exit code.
 */
export async function runClusterWorker(params: { config: ServeConfig; logger: Logger }): Promise<number> {
  const logger = params.logger.child({ worker: cluster.worker?.id });
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  let go!: () => void;
  const released = new Promise<void>((resolve) => (go = resolve));
  let handle: ServerHandle | undefined;
  const stops = createStopSwitch(() => go()); // a worker still waiting for its siblings stops waiting
  const askPrimary = listenToPrimary({
    send,
    go: () => go(),
    drain: (reason) => stops.stop(reason),
    cut: () => handle?.server.closeAllConnections(),
    snapshot: () => handle?.metrics.snapshot(),
  });
  process.on("disconnect", () => stops.stop("the primary is gone"));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => (++signals > 1 ? handle?.server.closeAllConnections() : stops.stop(signal));
  process.on("SIGTERM", onSignal).on("SIGINT", onSignal);
  const finish = (exitCode: number): number => {
    process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
    if (process.connected) process.disconnect(); // the IPC channel would keep the process alive
    return exitCode;
  };

  try {
    handle = await startServer({
      config: params.config,
      logger,
      beforeReady: async (spec, loadSeconds) => {
        send({ type: "serve:loaded", model: { name: spec.name, sha256: spec.sha256, features: spec.featureCount, loadSeconds } });
        await released;
      },
      metricsPage: askPrimary,
    });
  } catch (e) {
    logger.fatal({ err: e }, (e as Error).message);
    send({ type: "serve:failed", reason: (e as Error).message });
    return finish(1);
  }
  handle.ready.catch((e: unknown) => {
    send({ type: "serve:failed", reason: (e as Error).message });
    stops.stop("model load failed", 1);
  });
  const server = handle;
  return finish(await stops.closed((reason) => server.close(reason)));
}

/**
 * The first request to stop wins (its reason and exit code); one that comes before the server
 * exists is kept until `closed` is called. `closed` resolves with the exit code once `close`
 * (given the reason) has finished.
 */
function createStopSwitch(onStop: () => void): { stop(reason: string, code?: number): void; closed(close: (reason: string) => Promise<void>): Promise<number> } {
  let stopWith: ((reason: string, code: number) => void) | undefined;
  let pending: [string, number] | undefined;
  return {
    stop(reason, code = 0) {
      onStop();
      if (stopWith) stopWith(reason, code);
      else pending ??= [reason, code];
    },
    closed(close) {
      return new Promise<number>((resolve) => {
        stopWith = (reason, exitCode) => {
          stopWith = () => undefined;
          void close(reason).then(() => resolve(exitCode));
        };
        if (pending) stopWith(...pending);
      });
    },
  };
}

/**
 * Answers the primary's messages (go, drain, cut, a request for this worker's metrics) and
 * returns how to ask it for the /metrics page of the whole cluster.
 */
function listenToPrimary(params: {
  send: (message: WorkerMessage) => void;
  go: () => void;
  drain: (reason: string) => void;
  cut: () => void;
  snapshot: () => Promise<MetricsSnapshot> | undefined;
}): () => Promise<string> {
  const pages = new Map<number, { resolve: (page: string) => void; reject: (e: Error) => void }>();
  let nextPage = 0;
  process.on("message", (message: unknown) => {
    if (!isServeMessage<PrimaryMessage>(message)) return;
    if (message.type === "serve:go") params.go();
    else if (message.type === "serve:drain") params.drain(message.reason);
    else if (message.type === "serve:cut") params.cut();
    else if (message.type === "serve:metrics-snapshot") {
      void params.snapshot()?.then((snapshot) => params.send({ type: "serve:metrics-snapshot", id: message.id, snapshot }));
    } else {
      const page = pages.get(message.id);
      pages.delete(message.id);
      if (message.page !== undefined) page?.resolve(message.page);
      else page?.reject(new Error(message.error ?? "no page"));
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextPage++;
      const timer = setTimeout(() => {
        pages.delete(id);
        reject(new Error(`the primary did not answer within ${METRICS_TIMEOUT_MS / 1000} s`));
      }, METRICS_TIMEOUT_MS);
      pages.set(id, { resolve: (page) => (clearTimeout(timer), resolve(page)), reject: (e) => (clearTimeout(timer), reject(e)) });
      params.send({ type: "serve:metrics-page", id });
    });
}
