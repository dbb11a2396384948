/**
 * One webhook server for the benchmark, in its own process: `ours` (mlops-bot's app on the
 * embedded defaults, no worker: a `/train` ends at its queued check run) or `bare` (a Probot app
 * whose handler does nothing). Prints its port.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { createNodeMiddleware, Probot, ProbotOctokit, type ApplicationFunction } from "probot";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine } from "../../src/create-engine.js";
import { createApp } from "../../src/index.js";
import { authOnApiHost } from "../../src/adapters/github/auth-on-api-host.js";
import { commitRepoConfig } from "../../test/helpers/repo-config-origin.js";

const which = process.argv[2];
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
// GitHub's API: the bench's fake server (FAKE_GITHUB_URL) when given, without Octokit's throttle
// (it paces writes at one a second per process, GitHub's advice for content-creating requests:
// the bench measures the bot's own cost of a /train, not that pacing).
const baseUrl = process.env.FAKE_GITHUB_URL;
// As main.ts: the App's token for a git fetch (the repo config) is asked of this API's host.
const Octokit = authOnApiHost(ProbotOctokit.defaults((options: Record<string, any>) => ({ ...options, throttle: { ...options.throttle, enabled: false } })));
const probot = new Probot({ appId: 1, privateKey, secret: "bench-secret", log: pino({ level: "silent" }), ...(baseUrl ? { baseUrl, Octokit } : {}) });
// The repository's git origin (the bot reads the repo config of its default branch there: none, every default).
const dataDir = mkdtempSync(path.join(tmpdir(), "mlops-bench-"));
if (which === "ours") commitRepoConfig(path.join(dataDir, "origin"), undefined);
const appFn: ApplicationFunction =
  which === "ours"
    ? createApp(createEngine(loadServerConfig({ MLOPS_DATA_DIR: dataDir, MLOPS_CLONE_URL: path.join(dataDir, "origin", "{owner}", "{repo}") }), { botEnv: {} }))
    : (app) => {
        app.on("issue_comment.created", async () => {});
      };
const middleware = await createNodeMiddleware(appFn, { probot, webhooksPath: "/api/github/webhooks" });
const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
