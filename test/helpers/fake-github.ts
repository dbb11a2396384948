import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { checkGitHubExchange } from "./contract/github-contract.js";
import { reportContractProblems } from "./contract/nock-contract-hook.js";
import * as gh from "./github-responses.js";

export interface FakeGitHubCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * The GitHub API endpoints a `/train` comment's intake and a worker call, as a real HTTP server
 * on 127.0.0.1, for bots in child processes (where nock cannot reach): the app, installation
 * token, reactions, the author's permission (write), open
 * same-repo pull requests, check runs (created with ids counted from 1000, and updated), and
 * issue comments (none listed, created, edited). Any other call gets a 404 and is recorded like
 * the rest. Paths may come under `/api/v3` (a bot given `GHE_HOST`). Each exchange is held to GitHub's OpenAPI description like nock's
 * (what does not fit fails the test that is running).
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
      // A bot pointed here as GitHub Enterprise Server (GHE_HOST) calls it under /api/v3.
      const url = (req.url ?? "/").replace(/^\/api\/v3(?=\/)/, "");
      const path = url.split("?")[0]!;
      calls.push({ method: req.method ?? "GET", path, body });
      const [status, reply] = answer(req, path, () => nextCheckRun++);
      const accept = req.headers.accept;
      reportContractProblems(checkGitHubExchange({ method: req.method ?? "GET", path: url, accept, requestBody: body, status, responseBody: reply }));
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
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

function answer(req: IncomingMessage, path: string, checkRunId: () => number): [number, unknown] {
  const repo = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
  if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) return [201, gh.installationToken("ghs_fake")];
  if (req.method === "GET" && path === "/app") return [200, gh.appResponse()];
  if (!repo) return [404, gh.githubError(404)];
  const rest = repo[3]!;
  if (req.method === "POST" && /^\/issues\/comments\/\d+\/reactions$/.test(rest)) return [201, gh.reaction("eyes")];
  if (req.method === "GET" && /^\/collaborators\/[^/]+\/permission$/.test(rest)) return [200, gh.permission(rest.split("/")[2]!, "write")];
  const pull = /^\/pulls\/(\d+)$/.exec(rest);
  if (req.method === "GET" && pull) {
    const number = Number(pull[1]);
    return [200, gh.pullRequest({ number, head: `${String(number).padStart(4, "0")}${"c".repeat(36)}`, base: "b".repeat(40) })];
  }
  if (req.method === "POST" && rest === "/check-runs") return [201, gh.checkRun({ id: checkRunId() })];
  const checkRun = /^\/check-runs\/(\d+)$/.exec(rest);
  if (req.method === "PATCH" && checkRun) return [200, gh.checkRun({ id: Number(checkRun[1]) })];
  const comments = /^\/issues\/(\d+)\/comments$/.exec(rest);
  if (req.method === "GET" && comments) return [200, []];
  if (req.method === "POST" && comments) return [201, gh.issueComment({ id: 4000, issue: Number(comments[1]) })];
  const comment = /^\/issues\/comments\/(\d+)$/.exec(rest);
  if (req.method === "PATCH" && comment) return [200, gh.issueComment({ id: Number(comment[1]) })];
  return [404, gh.githubError(404)];
}
