import cluster from "node:cluster";
import type { Logger } from "pino";
import { runClusterPrimary } from "./run-cluster-primary.js";
import { runClusterWorker } from "./run-cluster-worker.js";
import type { ServeConfig } from "./serve-config.js";
import { startServer, type ServerHandle } from "./start-server.js";

/**
 * Runs the server until SIGTERM or SIGINT, then shuts it down gracefully (a second signal cuts
 * the remaining connections at once). Resolves with the exit code: 0 after a signal, 1 when
 * the port cannot be bound or the model cannot be loaded. `onStarted` sees where it listens
 * (the CLI prints the URL). With `workers` over 1 this process becomes the primary of that
 * many worker processes (node:cluster re-runs the same entry point, which lands in
 * `runClusterWorker` here).
 */
export async function runServerUntilSignal(params: { config: ServeConfig; logger: Logger; onStarted?: (started: { url: string; port: number }) => void }): Promise<number> {
  const { config, logger } = params;
  if (cluster.isWorker) return runClusterWorker({ config, logger });
  if (config.workers > 1) return runClusterPrimary(params);
  let handle: ServerHandle;
  try {
    handle = await startServer({ config, logger });
  } catch (e) {
    logger.fatal({ err: e }, (e as Error).message);
    return 1;
  }
  params.onStarted?.(handle);

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        logger.warn({ signal }, "second signal: closing all connections now");
        handle.server.closeAllConnections();
        return;
      }
      void handle.close(signal).then(() => {
        process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
        resolve(0);
      });
    };
    process.on("SIGTERM", onSignal).on("SIGINT", onSignal);
    handle.ready.catch(() => {
      process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
      void handle.close("model load failed").then(() => resolve(1));
    });
  });
}
