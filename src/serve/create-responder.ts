import type { Logger } from "pino";
import { renderApiError } from "./api-error.js";
import type { ServeMetrics } from "./create-serve-metrics.js";
import type { Exchange, Responder } from "./responder.js";
import type { ServerState } from "./server-state.js";

const JSON_TYPE = "application/json";

/**
 * How every answer goes out: headers, body, then the request is counted in the metrics and
 * logged at debug level (5xx at error). While the server drains, each answer says
 * `Connection: close`.
 */
export function createResponder(params: { state: ServerState; metrics: ServeMetrics; logger: Logger }): Responder {
  const { state, metrics, logger } = params;
  const debug = logger.isLevelEnabled("debug");

  const finish = (x: Exchange, status: number, headers: Record<string, string | number>, body: string, latin1: boolean, code?: string) => {
    if (state.phase === "draining") headers.connection = "close";
    x.res.writeHead(status, headers).end(body, latin1 ? "latin1" : "utf8");
    const seconds = (performance.now() - x.started) / 1000;
    metrics.request(x.route, status, seconds);
    metrics.inFlight(-1);
    if (code !== undefined) metrics.error(code);
    if (status >= 500) logger.error({ method: x.req.method, path: x.req.url, status, ms: seconds * 1000, code }, "request failed");
    else if (debug) logger.debug({ method: x.req.method, path: x.req.url, status, ms: seconds * 1000, code }, "request");
  };

  return {
    json: (x, status, body, headers = {}) => finish(x, status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(body), ...headers }, body, false),
    // An ASCII body: its length is its byte count, and latin1 writes it as it is (no UTF-8 pass).
    ascii: (x, status, body) => finish(x, status, { "content-type": JSON_TYPE, "content-length": body.length }, body, true),
    text: (x, status, contentType, body) => finish(x, status, { "content-type": contentType, "content-length": Buffer.byteLength(body) }, body, false),
    error: (x, e, headers = {}) => {
      const body = renderApiError(e);
      finish(x, e.status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(body), ...headers }, body, false, e.code);
    },
  };
}
