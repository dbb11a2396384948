import { createProbot, ProbotOctokit, run, type Probot } from "probot";
import type { AddressInfo } from "node:net";
import { DEFAULT_WEBHOOK_PATH, prepareSetupFlow } from "./adapters/github/setup-manifest.js";
import { loadServerConfig, type ServerConfig } from "./config/server-config.js";
import { createEngine } from "./create-engine.js";
import { createWorker } from "./create-worker.js";
import { BotError } from "./core/errors.js";
import { guardWebhookBody } from "./http/guard-webhook-body.js";
import { quietWebhookLog } from "./http/quiet-webhook-log.js";
import { startHttpServer, type HttpHandler } from "./http/start-http-server.js";
import { createApp } from "./index.js";
import { repositoryHost } from "./adapters/github/repository-host.js";
import { postWeeklyCostSummary, scheduleWeeklyCostSummary } from "./flows/costs/post-weekly-cost-summary.js";
import { taskRoute } from "./http/task-route.js";
import { githubMetricsPlugin } from "./metrics/github-metrics-plugin.js";
import { authOnApiHost } from "./adapters/github/auth-on-api-host.js";
import { metricsRoute } from "./metrics/metrics-route.js";

/**
 * Process entry: validates the environment, builds the embedded engine, then serves the webhook
 * (behind a guard that refuses oversized and unsigned bodies before any handler), /healthz,
 * /metrics and /ping, and starts the worker. Without APP_ID / PRIVATE_KEY, Probot serves its
 * setup flow (create the App from app.yml in the browser) instead, and nothing else starts.
 */
let server: ServerConfig;
try {
  server = loadServerConfig(process.env);
} catch (e) {
  console.error(e instanceof BotError ? `mlops-bot cannot start:\n${e.message}` : e);
  process.exit(1);
}
const engine = createEngine(server, { botEnv: process.env });
// One parse worker now, so the first comment does not wait for a thread to start (they do not keep the process alive).
void engine.parser.warm?.();
const Octokit = authOnApiHost(ProbotOctokit.plugin(githubMetricsPlugin(engine.metrics)));

if (!process.env.APP_ID || !(process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH)) {
  try {
    const { SmeeClient } = await prepareSetupFlow(process.env);
    await run(() => undefined, { Octokit, SmeeClient });
  } catch (e) {
    // e.g. production mode without APP_ID / PRIVATE_KEY: say what to set, without a stack trace.
    console.error(`mlops-bot cannot start: ${(e as Error).message}`);
    process.exit(1);
  }
} else {
  await serve(createProbot({ overrides: { Octokit } }));
}

async function serve(app: Probot): Promise<void> {
  const config = server;
  await app.load(createApp(engine));
  const pages = engine.jobPages.handler;
  if (pages) {
    app.log.info(`job pages: ${config.web!.publicUrl}/jobs/<id>, links signed with ${config.web!.secretSource === "MLOPS_WEB_SECRET" ? "MLOPS_WEB_SECRET" : "a key derived from WEBHOOK_SECRET"}`);
  } else app.log.info("job pages: off (set MLOPS_PUBLIC_URL, and MLOPS_WEB_SECRET or WEBHOOK_SECRET)");
  const worker = createWorker({ engine, app, concurrency: config.workerConcurrency, log: app.log.child({ name: "worker" }) });
  const webhookPath = process.env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;
  const costSummary = { store: engine.store, costs: config.costs, hostFor: repositoryHost(app), log: app.log.child({ name: "costs" }) };
  const handlers: HttpHandler[] = [
    (req, res) => {
      if (req.method !== "GET" || req.url !== "/healthz") return false;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", jobs: worker.active }));
      return true;
    },
    (req, res) => {
      if (req.method !== "GET" || req.url !== "/ping") return false;
      res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
      return true;
    },
    metricsRoute({ registry: engine.metrics.registry, token: config.metricsToken }),
    taskRoute({ path: "/tasks/weekly-cost-summary", token: config.costs.tasksToken, run: () => postWeeklyCostSummary(costSummary), log: app.log.child({ name: "tasks" }) }),
    // The same secret Probot verifies with (its default when WEBHOOK_SECRET is unset).
    guardWebhookBody({ path: webhookPath, secret: process.env.WEBHOOK_SECRET || "development", log: app.log.child({ name: "webhooks" }) }),
    await app.getNodeMiddleware({ path: webhookPath, log: quietWebhookLog(app.log.child({ name: "webhooks" })) as never }),
    ...(pages ? [pages] : []),
  ];
  const http = await startHttpServer({ handlers, port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "localhost", log: app.log.child({ name: "server" }) });
  const stop = (signal: string) => {
    app.log.info({ signal }, "stopping: finishing running jobs");
    http.close();
    void Promise.all([worker.stop(), engine.background?.drain()])
      .then(() => Promise.all([engine.store.close(), engine.parser.close()]))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  // Without a sandbox the local runner refuses jobs (or, when explicitly allowed, runs them unsandboxed): say so now.
  if (engine.localRunner.sandbox === "unavailable") app.log.error(`runner: local refuses every job: ${engine.localRunner.message ?? ""}`);
  else if (engine.localRunner.sandbox === "none") app.log.warn(engine.localRunner.message ?? "local jobs run unsandboxed");
  else app.log.info("runner: local runs jobs in a bubblewrap sandbox");
  void worker.start();
  if (config.costs.summaryIssue) scheduleWeeklyCostSummary(costSummary);
  if (config.publicUrl) app.log.info(`GitHub App webhook URL: ${config.publicUrl}${webhookPath}`);
  if (process.env.WEBHOOK_PROXY_URL) await proxyWebhooks({ source: process.env.WEBHOOK_PROXY_URL, target: `http://127.0.0.1:${(http.address() as AddressInfo).port}${webhookPath}`, log: app.log });
}

/** A smee.io channel's deliveries posted on to our webhook path (the laptop flow, as Probot's server did). */
async function proxyWebhooks(params: { source: string; target: string; log: Probot["log"] }): Promise<void> {
  const { SmeeClient } = await import("smee-client");
  await new SmeeClient({ source: params.source, target: params.target, logger: params.log }).start();
  params.log.info(`Forwarding ${params.source} to ${params.target}`);
}
