import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { isServeMessage, type PrimaryMessage, type WorkerMessage } from "./cluster-messages.js";
import { createClusterMetrics, type ClusterMetrics } from "./create-cluster-metrics.js";
import type { ServeConfig } from "./serve-config.js";

/** A worker that dies after the cluster was ready is replaced, unless more than this many died within a minute. */
const MAX_RESTARTS_PER_MINUTE = 5;
/** After the drain deadline, how long workers get to release their sessions and exit before they are killed. */
const EXIT_GRACE_MS = 5000;

type Started = (started: { url: string; port: number }) => void;

/**
 * The primary of `SERVE_WORKERS` processes on one port (node:cluster: this process accepts
 * connections and hands each to a worker in turn; it serves nothing itself). Each worker is a
 * whole server with its own onnxruntime session (`runClusterWorker`), so HTTP, JSON and
 * inference all scale with the cores. The primary tells workers to say ready once all have
 * loaded the model, answers their /metrics with every process's metrics added up, replaces a
 * worker that dies, and on SIGTERM or SIGINT has every worker drain (a second signal cuts
 * connections). Resolves with the exit code: 0 after a signal, 1 when a worker cannot start
 * or workers keep dying.
 */
export function runClusterPrimary(params: { config: ServeConfig; logger: Logger; onStarted?: Started }): Promise<number> {
  return new ClusterPrimary(params.config, params.logger, params.onStarted).run();
}

class ClusterPrimary {
  private readonly metrics: ClusterMetrics;
  private readonly loaded = new Set<number>();
  private readonly deaths: number[] = [];
  private ready = false;
  private draining = false;
  private exitCode = 0;
  private url: string | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ServeConfig,
    private readonly logger: Logger,
    private readonly onStarted: Started | undefined,
  ) {
    this.metrics = createClusterMetrics({ workers: () => this.workers() });
  }

  run(): Promise<number> {
    return new Promise<number>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (++signals === 1) return this.drain(signal);
        this.logger.warn({ signal }, "second signal: closing all connections now");
        for (const w of this.workers()) send(w, { type: "serve:cut" });
      };
      process.on("SIGTERM", onSignal).on("SIGINT", onSignal);
      cluster.on("listening", (_worker, address) => this.onListening(address.port));
      cluster.on("exit", (worker, code, signal) => {
        this.onExit(worker, code, signal);
        if (this.draining && this.workers().length === 0) {
          clearTimeout(this.deadline);
          process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
          this.logger.info({ code: this.exitCode }, "stopped");
          resolve(this.exitCode);
        }
      });
      for (let k = 0; k < this.config.workers; k++) this.fork();
    });
  }

  private workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  }

  private fork(): void {
    const worker = cluster.fork();
    this.metrics.live.set(this.workers().length);
    this.logger.info({ worker: worker.id, pid: worker.process.pid }, "worker started");
    worker.on("message", (message: unknown) => {
      if (isServeMessage<WorkerMessage>(message)) this.onMessage(worker, message);
    });
  }

  private onListening(port: number): void {
    if (this.url !== undefined) return;
    const { config } = this;
    this.url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    const settings = { workers: config.workers, model: config.modelPath, maxBatch: config.maxBatch, maxBodyBytes: config.maxBodyBytes, intraOpThreads: config.intraOpThreads };
    this.logger.info({ url: this.url, ...settings }, "listening; loading the model");
    this.onStarted?.({ url: this.url, port });
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    if (message.type === "serve:loaded") {
      this.loaded.add(worker.id);
      if (this.ready) send(worker, { type: "serve:go" });
      else if (this.loaded.size >= this.config.workers) {
        this.ready = true;
        for (const w of this.workers()) send(w, { type: "serve:go" });
        const { name, sha256, features } = message.model;
        this.logger.info({ model: name, sha256, features, workers: this.config.workers }, "model loaded in every worker; ready");
      }
    } else if (message.type === "serve:failed") {
      if (!this.draining) this.logger.fatal({ worker: worker.id, reason: message.reason }, "a worker cannot serve; stopping");
      this.exitCode = 1;
      this.drain("a worker cannot serve");
    } else if (message.type === "serve:metrics-page") {
      this.metrics.page().then(
        (page) => send(worker, { type: "serve:metrics-page", id: message.id, page }),
        (e: unknown) => send(worker, { type: "serve:metrics-page", id: message.id, error: (e as Error).message }),
      );
    } else this.metrics.received(message.id, message.snapshot);
  }

  /** A worker exited: expected while draining; else replaced, unless it never got ready or workers keep dying. */
  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    this.loaded.delete(worker.id);
    this.metrics.live.set(this.workers().length);
    if (this.draining) return;
    const now = Date.now();
    this.deaths.push(now);
    while (this.deaths[0]! < now - 60_000) this.deaths.shift();
    if (this.ready && this.deaths.length <= MAX_RESTARTS_PER_MINUTE) {
      this.logger.error({ worker: worker.id, code, signal }, "a worker died; starting another");
      this.metrics.restarts.inc();
      this.fork();
      return;
    }
    const why = this.ready ? "workers keep dying; stopping" : "a worker died while starting; stopping";
    this.logger.fatal({ worker: worker.id, code, signal, deathsInAMinute: this.deaths.length }, why);
    this.exitCode = 1;
    this.drain("workers died");
  }

  private drain(reason: string): void {
    if (this.draining) return;
    this.draining = true;
    const workers = this.workers();
    this.logger.info({ reason, workers: workers.length, timeoutMs: this.config.shutdownTimeoutMs }, "shutting down: every worker finishes its in-flight requests");
    for (const w of workers) send(w, { type: "serve:drain", reason });
    this.deadline = setTimeout(() => {
      for (const w of this.workers()) {
        this.logger.warn({ worker: w.id }, "worker still running after the deadline; killing it");
        w.process.kill("SIGKILL");
      }
    }, this.config.shutdownTimeoutMs + EXIT_GRACE_MS);
  }
}

function send(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message);
}
