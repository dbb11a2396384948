import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { apiError } from "./api-error.js";
import { createResponder } from "./create-responder.js";
import { METRICS_CONTENT_TYPE, type RouteLabel, type ServeMetrics } from "./create-serve-metrics.js";
import { handlePredict } from "./handle-predict.js";
import { notReadyError } from "./not-ready-error.js";
import type { Exchange, Responder } from "./responder.js";
import type { ServerState } from "./server-state.js";

type Handler = (x: Exchange) => void | Promise<void>;
type Routes = Record<string, Partial<Record<string, Handler>>>;

/**
 * The server's request listener: routes by path and method, answers every request exactly
 * once (through `createResponder`, which counts and logs it). Unknown paths get 404, known
 * paths with another method 405 with `Allow`. A handler that throws is answered 500 and
 * logged; the process never goes down for a request.
 */
export function createRequestHandler(params: { state: ServerState; metrics: ServeMetrics; logger: Logger; maxBodyBytes: number; metricsPage: () => Promise<string> }): (req: IncomingMessage, res: ServerResponse) => void {
  const { metrics, logger } = params;
  const respond = createResponder(params);
  const routes = createRoutes({ ...params, respond });
  const allow = Object.fromEntries(Object.entries(routes).map(([path, methods]) => [path, Object.keys(methods).join(", ")]));
  const listing = Object.keys(routes).map((p) => `${Object.keys(routes[p]!)[0]} ${p}`).join(", ");

  const internalError = (x: Exchange, e: unknown) => {
    logger.error({ err: e, path: x.req.url }, "unexpected error while answering a request");
    if (!x.res.headersSent) respond.error(x, apiError(500, "internal", "the server failed to answer this request; it is logged"));
    else x.res.destroy();
  };

  return (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const methods = routes[path];
    const x: Exchange = { req, res, route: methods ? (path as RouteLabel) : "other", started: performance.now() };
    metrics.inFlight(1);
    if (!methods) {
      respond.error(x, apiError(404, "not_found", `no route ${JSON.stringify(path)}; the routes are ${listing}`));
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
}

/** Path -> method -> handler; every GET also answers HEAD. */
function createRoutes(params: { state: ServerState; metrics: ServeMetrics; respond: Responder; maxBodyBytes: number; metricsPage: () => Promise<string> }): Routes {
  const { state, metrics, respond, maxBodyBytes } = params;
  const readyBody = () =>
    state.phase === "ready"
      ? JSON.stringify({ status: "ready", model: state.model?.spec.name, sha256: state.model?.spec.sha256 })
      : JSON.stringify({ status: state.phase, ...(state.failure ? { reason: state.failure } : {}) });
  const routes: Routes = {
    "/predict": { POST: (x) => handlePredict({ x, state, respond, maxBodyBytes, metrics }) },
    "/health": { GET: (x) => respond.json(x, 200, '{"status":"ok"}') },
    "/ready": { GET: (x) => respond.json(x, state.phase === "ready" ? 200 : 503, readyBody()) },
    "/metadata": { GET: (x) => (state.model ? respond.json(x, 200, state.model.metadataJson) : respond.error(x, notReadyError(state))) },
    "/metrics": {
      GET: (x) =>
        params.metricsPage().then(
          (page) => respond.text(x, 200, METRICS_CONTENT_TYPE, page),
          (e: unknown) => respond.error(x, apiError(503, "metrics_unavailable", `the metrics could not be gathered: ${(e as Error).message}; retry`)),
        ),
    },
  };
  for (const methods of Object.values(routes)) if (methods.GET) methods.HEAD = methods.GET;
  return routes;
}
