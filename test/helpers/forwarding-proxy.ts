import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP front for a real test service that changes one thing: `route` may rewrite a request's
 * path (drop a query parameter) or answer it itself with a status (refuse credentials). Closed
 * with `close()`.
 */
export async function startForwardingProxy(params: { target: string; route?: (req: IncomingMessage, url: URL) => { status: number; body: string } | undefined }) {
  const target = new URL(params.target);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", params.target);
    const answer = params.route?.(req, url);
    if (answer) {
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      return;
    }
    const forward = request({ host: target.hostname, port: target.port, path: `${url.pathname}${url.search}`, method: req.method, headers: req.headers }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL where nothing listens (a port that was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const proxy = await startForwardingProxy({ target: "http://127.0.0.1:1" });
  await proxy.close();
  return proxy.url;
}
