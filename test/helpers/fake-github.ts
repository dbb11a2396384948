import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGitHubCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * The few GitHub API endpoints a `/train` comment's intake calls, as a real HTTP server on
 * 127.0.0.1, for bots in child processes (where nock cannot reach): installation token,
 * reactions, the repo config (404: defaults), the author's permission (write), open same-repo
 * pull requests, and check runs (ids counted from 1000). Any other call gets a 404 and is
 * recorded like the rest.
 */
export async function startFakeGitHub(): Promise<{ url: string; calls: FakeGitHubCall[]; close: () => Promise<void> }> {
  const calls: FakeGitHubCall[] = [];
  let nextCheckRun = 1000;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body: unknown = text ? JSON.parse(text) : undefined;
      const path = (req.url ?? "/").split("?")[0]!;
      calls.push({ method: req.method ?? "GET", path, body });
      answer(req, res, path, () => nextCheckRun++);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, path: string, checkRunId: () => number): void {
  const json = (status: number, value: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
  const repo = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
  if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
    return json(201, { token: "ghs_fake", expires_at: new Date(Date.now() + 3_600_000).toISOString() });
  }
  if (!repo) return json(404, { message: "Not Found" });
  const [, owner, name, rest] = repo as unknown as [string, string, string, string];
  if (req.method === "POST" && /^\/issues\/comments\/\d+\/reactions$/.test(rest)) return json(201, { id: 1, content: "eyes" });
  if (req.method === "GET" && rest.startsWith("/contents/")) return json(404, { message: "Not Found" });
  if (req.method === "GET" && /^\/collaborators\/[^/]+\/permission$/.test(rest)) return json(200, { permission: "write", role_name: "write" });
  const pull = /^\/pulls\/(\d+)$/.exec(rest);
  if (req.method === "GET" && pull) {
    const number = Number(pull[1]);
    const full = `${owner}/${name}`;
    return json(200, {
      number,
      state: "open",
      head: { sha: `${String(number).padStart(4, "0")}${"c".repeat(36)}`, ref: `feature-${number}`, repo: { full_name: full } },
      base: { sha: "b".repeat(40), ref: "main", repo: { full_name: full } },
      user: { login: "contributor" },
    });
  }
  if (req.method === "POST" && rest === "/check-runs") {
    const id = checkRunId();
    return json(201, { id, html_url: `https://github.com/${owner}/${name}/runs/${id}` });
  }
  return json(404, { message: "Not Found" });
}
