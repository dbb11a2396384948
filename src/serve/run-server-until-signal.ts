import type { Logger } from "pino";
import type { ServeConfig } from "./serve-config.js";
import { startServer, type ServerHandle } from "./start-server.js";

/**
 * Runs the server until SIGTERM or SIGINT, then shuts it down gracefully (a second signal cuts
 * the remaining connections at once). Resolves with the exit code: 0 after a signal, 1 when
 * the port cannot be bound or the model cannot be loaded. `onStarted` sees the handle (the CLI
 * prints the URL).
 */
export async function runServerUntilSignal(params: { config: ServeConfig; logger: Logger; onStarted?: (handle: ServerHandle) => void }): Promise<number> {
  const { config, logger } = params;
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
