import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, type ApplicationFunction, type Probot } from "probot";

export const WEBHOOK_PATH = "/api/github/webhooks";

/** Serves a Probot app over real HTTP on 127.0.0.1 (a free port); `close` stops it. */
export async function serveApp(probot: Probot, appFn: ApplicationFunction): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const middleware = await createNodeMiddleware(appFn, { probot, webhooksPath: WEBHOOK_PATH });
  const server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The headers GitHub sends with a delivery, signed with `secret` (omit it for an unsigned request). */
export function deliveryHeaders(params: { event: string; id: string; body: string; secret?: string }): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": params.event,
    "x-github-delivery": params.id,
    "user-agent": "GitHub-Hookshot/test",
  };
  if (params.secret !== undefined) {
    headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", params.secret).update(params.body).digest("hex")}`;
  }
  return headers;
}
