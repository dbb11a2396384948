import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { metricsRoute } from "../../src/metrics/metrics-route.js";

export const METRICS_TOKEN = "test-metrics-token-0123456789";

/**
 * Serves `registry` through the bot's own `/metrics` route on 127.0.0.1 for one request and
 * returns what a scraper gets (status and page), sending `token` as its bearer token.
 */
export async function scrapeMetrics(registry: Registry, params: { token?: string | undefined; configured?: string | undefined } = {}): Promise<{ status: number; text: string }> {
  const route = metricsRoute({ registry, token: "configured" in params ? params.configured : METRICS_TOKEN });
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const token = "token" in params ? params.token : METRICS_TOKEN;
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, text: await response.text() };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The value of one sample (`name{label="v",...}`) on a metrics page; 0 when absent. */
export function sample(page: string, series: string): number {
  const line = page.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
