import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/**
 * `GET /metrics` for Probot's `addHandler`: the registry in Prometheus's text format, for a
 * scraper that sends `Authorization: Bearer <token>`. Without a token configured the route does
 * not exist (404), so a bot never shows its page to whoever finds its URL.
 */
export function metricsRoute(params: { registry: Registry; token: string | undefined }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!params.token || (req.url ?? "").split("?")[0] !== "/metrics") return false;
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return true;
    }
    if (!bearerMatches(req.headers.authorization, params.token)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain" }).end("metrics need Authorization: Bearer <MLOPS_METRICS_TOKEN>\n");
      return true;
    }
    void params.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": params.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
    return true;
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
