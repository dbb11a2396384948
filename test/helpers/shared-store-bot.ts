/**
 * One bot process for the shared-store tests: the real app (`createApp(createEngine(...))`) on
 * the job store its environment names (`MLOPS_JOB_STORE`: a gs:// prefix with
 * `MLOPS_GCS_ENDPOINT`, or a postgres:// URL), behind Probot's Node middleware on 127.0.0.1, its
 * GitHub calls sent to a fake GitHub (`baseUrl`). No worker runs: what is measured is the intake
 * (commands, enqueue). Its git sources (the repo config of the default branch) come from
 * `MLOPS_CLONE_URL`, a local repository. Prints its webhook URL once it listens.
 *
 * Usage: MLOPS_JOB_STORE=... MLOPS_CLONE_URL=... tsx test/helpers/shared-store-bot.ts <dataDir> <githubBaseUrl>
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine } from "../../src/create-engine.js";
import { createApp } from "../../src/index.js";
import { authOnApiHost } from "../../src/adapters/github/auth-on-api-host.js";
import { testPrivateKey } from "./test-probot.js";

const [dataDir, baseUrl] = process.argv.slice(2);
const server = loadServerConfig({
  MLOPS_DATA_DIR: dataDir,
  MLOPS_JOB_STORE: process.env.MLOPS_JOB_STORE,
  MLOPS_GCS_ENDPOINT: process.env.MLOPS_GCS_ENDPOINT,
  MLOPS_CLONE_URL: process.env.MLOPS_CLONE_URL,
  PATH: process.env.PATH,
});
const engine = createEngine(server, { botEnv: {} });
// As main.ts: the App's token for a git fetch (the repo config) is asked of this API's host.
const Octokit = authOnApiHost(ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
})));
const probot = new Probot({ appId: 123, privateKey: testPrivateKey(), secret: "test-secret", baseUrl, Octokit, log: pino({ level: "silent" }) });
const middleware = await createNodeMiddleware(createApp(engine), { probot, webhooksPath: "/api/github/webhooks" });
const http = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
http.keepAliveTimeout = 60_000;
http.listen(0, "127.0.0.1", () => process.stdout.write(`http://127.0.0.1:${(http.address() as AddressInfo).port}/api/github/webhooks\n`));
process.on("SIGTERM", () => http.close(() => void engine.store.close().finally(() => process.exit(0))));
