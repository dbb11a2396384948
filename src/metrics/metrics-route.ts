import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { bearerDoor } from "../http/bearer-route.js";

/**
 * `GET /metrics` for Probot's `addHandler`: the registry in Prometheus's text format, for a
 * scraper that sends `Authorization: Bearer <token>`. Without a token configured the route does
 * not exist (404), so a bot never shows its page to whoever finds its URL.
 */
export function metricsRoute(params: { registry: Registry; token: string | undefined }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const door = bearerDoor(req, res, { path: "/metrics", method: "GET", token: params.token, realm: "metrics", variable: "MLOPS_METRICS_TOKEN" });
    if (door !== "pass") return door === "answered";
    void params.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": params.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
    return true;
  };
}

