import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { apiError, renderApiError } from "./api-error.js";
import { METRICS_CONTENT_TYPE, type RouteLabel, type ServeMetrics } from "./create-serve-metrics.js";
import { handlePredict } from "./handle-predict.js";
import { notReadyError } from "./not-ready-error.js";
import type { Exchange, Responder } from "./responder.js";
import type { ServerState } from "./server-state.js";

const JSON_TYPE = "application/json";

type Handler = (x: Exchange) => void | Promise<void>;

/**
 * The server's request listener: routes by path and method, answers every request exactly
 * once, counts it in the metrics, and logs it at debug level (5xx at error). Unknown paths get
 * 404, known paths with another method 405 with `Allow`. A handler that throws is answered 500
 * and logged; the process never goes down for a request.
 */
export function createRequestHandler(params: { state: ServerState; metrics: ServeMetrics; logger: Logger; maxBodyBytes: number; metricsPage: () => Promise<string> }): (req: IncomingMessage, res: ServerResponse) => void {
  const { state, metrics, logger } = params;
  const debug = logger.isLevelEnabled("debug");

  const finish = (x: Exchange, status: number, headers: Record<string, string | number>, body: string, code?: string) => {
    if (state.phase === "draining") headers.connection = "close";
    headers["content-length"] = Buffer.byteLength(body);
    x.res.writeHead(status, headers).end(body);
    const seconds = (performance.now() - x.started) / 1000;
    metrics.request(x.route, status, seconds);
    metrics.inFlight(-1);
    if (code !== undefined) metrics.error(code);
    if (status >= 500) logger.error({ method: x.req.method, path: x.req.url, status, ms: seconds * 1000, code }, "request failed");
    else if (debug) logger.debug({ method: x.req.method, path: x.req.url, status, ms: seconds * 1000, code }, "request");
  };
  const respond: Responder = {
    json: (x, status, body, headers = {}) => finish(x, status, { "content-type": JSON_TYPE, ...headers }, body),
    error: (x, e, headers = {}) => finish(x, e.status, { "content-type": JSON_TYPE, ...headers }, renderApiError(e), e.code),
  };

  const readyBody = () =>
    state.phase === "ready"
      ? JSON.stringify({ status: "ready", model: state.model?.spec.name, sha256: state.model?.spec.sha256 })
      : JSON.stringify({ status: state.phase, ...(state.failure ? { reason: state.failure } : {}) });
  const notReady = (x: Exchange) => respond.error(x, notReadyError(state));

  const routes: Record<string, Partial<Record<string, Handler>>> = {
    "/predict": { POST: (x) => handlePredict({ x, state, respond, maxBodyBytes: params.maxBodyBytes, metrics }) },
    "/health": { GET: (x) => respond.json(x, 200, '{"status":"ok"}') },
    "/ready": { GET: (x) => respond.json(x, state.phase === "ready" ? 200 : 503, readyBody()) },
    "/metadata": { GET: (x) => (state.model ? respond.json(x, 200, state.model.metadataJson) : notReady(x)) },
    "/metrics": {
      GET: (x) =>
        params.metricsPage().then(
          (page) => finish(x, 200, { "content-type": METRICS_CONTENT_TYPE }, page),
          (e: unknown) => respond.error(x, apiError(503, "metrics_unavailable", `the metrics could not be gathered: ${(e as Error).message}; retry`)),
        ),
    },
  };
  for (const methods of Object.values(routes)) if (methods.GET) methods.HEAD = methods.GET;
  const allow = Object.fromEntries(Object.entries(routes).map(([path, methods]) => [path, Object.keys(methods).join(", ")]));

  return (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const methods = routes[path];
    const x: Exchange = { req, res, route: methods ? (path as RouteLabel) : "other", started: performance.now() };
    metrics.inFlight(1);
    if (!methods) {
      respond.error(x, apiError(404, "not_found", `no route ${JSON.stringify(path)}; the routes are ${Object.keys(routes).map((p) => `${Object.keys(routes[p]!)[0]} ${p}`).join(", ")}`));
      return;
    }
    const handler = methods[req.method ?? ""];
    if (!handler) {
      respond.error(x, apiError(405, "method_not_allowed", `${path} takes ${allow[path]}, not ${req.method}`), { allow: allow[path]! });
      return;
    }
    try {
      const pending = handler(x);
      if (pending) pending.catch((e: unknown) => internalError(x, e));
    } catch (e) {
      internalError(x, e);
    }
  };

  function internalError(x: Exchange, e: unknown) {
    logger.error({ err: e, path: x.req.url }, "unexpected error while answering a request");
    if (!x.res.headersSent) respond.error(x, apiError(500, "internal", "the server failed to answer this request; it is logged"));
    else x.res.destroy();
  }
}
