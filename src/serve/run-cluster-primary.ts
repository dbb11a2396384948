import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { isServeMessage, type PrimaryMessage, type WorkerMessage } from "./cluster-messages.js";
import type { MetricsSnapshot } from "./create-serve-metrics.js";
import type { ServeConfig } from "./serve-config.js";

/** A worker that dies after the cluster was ready is replaced, unless this many died within a minute. */
const MAX_RESTARTS_PER_MINUTE = 5;
const SNAPSHOT_TIMEOUT_MS = 3000;
/** After the drain deadline, how long workers get to release their sessions and exit before they are killed. */
const EXIT_GRACE_MS = 5000;

/**
 * The primary of `SERVE_WORKERS` processes on one port (node:cluster: this process accepts
 * connections and hands each to a worker in turn; it serves nothing itself). Each worker is a
 * whole server with its own onnxruntime session (`runClusterWorker`), so HTTP, JSON and
 * inference all scale with the cores. The primary tells workers to say ready once all have
 * loaded the model, answers their /metrics with every process's metrics added up
 * (prom-client's aggregation), replaces a worker that dies, and on SIGTERM or SIGINT has every
 * worker drain (a second signal cuts connections). Resolves with the exit code: 0 after a
 * signal, 1 when a worker cannot start or workers keep dying.
 */
export function runClusterPrimary(params: { config: ServeConfig; logger: Logger; onStarted?: (started: { url: string; port: number }) => void }): Promise<number> {
  const { config, logger } = params;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const live = new Gauge({ name: "inference_workers", help: "Worker processes serving (cluster mode).", registers: [registry] });
  const restarts = new Counter({ name: "inference_worker_restarts_total", help: "Workers that died and were replaced.", registers: [registry] });
  const loaded = new Set<number>();
  const deaths: number[] = [];
  let ready = false;
  let draining = false;
  let exitCode = 0;
  let url: string | undefined;
  let nextSnapshot = 0;
  const snapshots = new Map<number, { want: number; got: MetricsSnapshot[]; done: () => void }>();

  const send = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message);
  };
  const workers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  const fork = () => {
    const worker = cluster.fork();
    live.set(workers().length);
    logger.info({ worker: worker.id, pid: worker.process.pid }, "worker started");
    worker.on("message", (message: unknown) => {
      if (isServeMessage<WorkerMessage>(message)) onMessage(worker, message);
    });
    return worker;
  };

  const metricsPage = async (): Promise<string> => {
    const id = nextSnapshot++;
    const asked = workers().filter((w) => w.isConnected());
    const entry: { want: number; got: MetricsSnapshot[]; done: () => void } = { want: asked.length, got: [], done: () => undefined };
    const all = new Promise<void>((resolve) => {
      entry.done = resolve;
      setTimeout(resolve, SNAPSHOT_TIMEOUT_MS).unref(); // a stuck worker leaves its numbers out, not the page
    });
    snapshots.set(id, entry);
    for (const w of asked) send(w, { type: "serve:metrics-snapshot", id });
    if (asked.length === 0) entry.done();
    await all;
    snapshots.delete(id);
    const own = (await registry.getMetricsAsJSON()) as MetricsSnapshot;
    return AggregatorRegistry.aggregate([own, ...entry.got]).metrics();
  };

  const onMessage = (worker: Worker, message: WorkerMessage) => {
    if (message.type === "serve:loaded") {
      loaded.add(worker.id);
      if (ready) send(worker, { type: "serve:go" });
      else if (loaded.size >= config.workers) {
        ready = true;
        for (const w of workers()) send(w, { type: "serve:go" });
        logger.info({ model: message.model.name, sha256: message.model.sha256, features: message.model.features, workers: config.workers }, "model loaded in every worker; ready");
      }
    } else if (message.type === "serve:failed") {
      if (!draining) logger.fatal({ worker: worker.id, reason: message.reason }, "a worker cannot serve; stopping");
      exitCode = 1;
      drain("a worker cannot serve");
    } else if (message.type === "serve:metrics-page") {
      metricsPage().then(
        (page) => send(worker, { type: "serve:metrics-page", id: message.id, page }),
        (e: unknown) => send(worker, { type: "serve:metrics-page", id: message.id, error: (e as Error).message }),
      );
    } else {
      const entry = snapshots.get(message.id);
      if (!entry) return;
      entry.got.push(message.snapshot);
      if (entry.got.length >= entry.want) entry.done();
    }
  };

  let deadline: NodeJS.Timeout | undefined;
  const drain = (reason: string) => {
    if (draining) return;
    draining = true;
    logger.info({ reason, workers: workers().length, timeoutMs: config.shutdownTimeoutMs }, "shutting down: every worker finishes its in-flight requests");
    for (const w of workers()) send(w, { type: "serve:drain", reason });
    deadline = setTimeout(() => {
      for (const w of workers()) {
        logger.warn({ worker: w.id }, "worker still running after the deadline; killing it");
        w.process.kill("SIGKILL");
      }
    }, config.shutdownTimeoutMs + EXIT_GRACE_MS);
  };

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        logger.warn({ signal }, "second signal: closing all connections now");
        for (const w of workers()) send(w, { type: "serve:cut" });
      } else drain(signal);
    };
    process.on("SIGTERM", onSignal).on("SIGINT", onSignal);

    cluster.on("listening", (_worker, address) => {
      if (url !== undefined) return;
      url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
      logger.info({ url, workers: config.workers, model: config.modelPath, maxBatch: config.maxBatch, maxBodyBytes: config.maxBodyBytes, intraOpThreads: config.intraOpThreads }, "listening; loading the model");
      params.onStarted?.({ url, port: address.port });
    });
    cluster.on("exit", (worker, code, signal) => {
      loaded.delete(worker.id);
      live.set(workers().length);
      if (!draining) {
        const now = Date.now();
        deaths.push(now);
        while (deaths[0]! < now - 60_000) deaths.shift();
        if (!ready || deaths.length > MAX_RESTARTS_PER_MINUTE) {
          logger.fatal({ worker: worker.id, code, signal, deathsInAMinute: deaths.length }, ready ? "workers keep dying; stopping" : "a worker died while starting; stopping");
          exitCode = 1;
          drain("workers died");
        } else {
          logger.error({ worker: worker.id, code, signal }, "a worker died; starting another");
          restarts.inc();
          fork();
        }
      }
      if (draining && workers().length === 0) {
        clearTimeout(deadline);
        process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
        logger.info({ code: exitCode }, "stopped");
        resolve(exitCode);
      }
    });
    for (let k = 0; k < config.workers; k++) fork();
  });
}
