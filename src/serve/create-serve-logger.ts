import { pino, type Logger } from "pino";
import type { ServeConfig } from "./serve-config.js";

/** JSON lines on stdout: startup, shutdown and errors at info and above, one line per request at debug. */
export function createServeLogger(params: Pick<ServeConfig, "logLevel">): Logger {
  return pino({ level: params.logLevel, base: { service: "mlops-bot-serve" }, timestamp: pino.stdTimeFunctions.isoTime });
}
