import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../ports/logger.js";

/** A request handler in Probot's style: true when it answered the request. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * The bot's HTTP server: each request goes through `handlers` in order until one answers; none
 * does: 404. A handler that throws gets a 500 and one log line. Resolves once it listens (port 0
 * picks a free port; the log line says which).
 */
export async function startHttpServer(params: { handlers: readonly HttpHandler[]; port: number; host: string | undefined; log: Logger }): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        for (const handler of params.handlers) if (await handler(req, res)) return;
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      } catch (e) {
        params.log.error({ err: { name: (e as Error).name, message: (e as Error).message }, url: req.url?.slice(0, 200) }, "request failed");
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(params.port, params.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  params.log.info(`Listening on http://${address.includes(":") ? `[${address}]` : address}:${port}`);
  return server;
}
