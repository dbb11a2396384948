import { ProbotOctokit, run, type ApplicationFunctionOptions, type Probot } from "probot";
import { appLoginOf } from "./adapters/github/app-login.js";
import { prepareSetupFlow } from "./adapters/github/setup-manifest.js";
import { GitHubCodeHost } from "./adapters/github/github-code-host.js";
import { loadServerConfig } from "./config/server-config.js";
import { createEngine } from "./create-engine.js";
import { BotError } from "./core/errors.js";
import { createApp } from "./index.js";
import { Worker } from "./jobs/worker.js";
import { githubMetricsPlugin } from "./metrics/github-metrics-plugin.js";
import { metricsRoute } from "./metrics/metrics-route.js";

/**
 * Process entry: validates the environment, builds the embedded engine, then lets Probot run the
 * server. Without APP_ID / PRIVATE_KEY, Probot serves its setup flow (create the App from
 * app.yml in the browser) instead, and nothing else starts.
 */
let server;
try {
  server = loadServerConfig(process.env);
} catch (e) {
  console.error(e instanceof BotError ? `mlops-bot cannot start:\n${e.message}` : e);
  process.exit(1);
}
const engine = createEngine(server, { botEnv: process.env });
// (The parse workers are started on demand and do not keep the process alive.)

const appFn = (app: Probot, options: ApplicationFunctionOptions): void => {
  createApp(engine)(app);
  const appLogin = appLoginOf(app);
  options.addHandler(metricsRoute({ registry: engine.metrics.registry, token: server.metricsToken }));
  const pages = engine.jobPages.handler;
  if (pages) {
    options.addHandler(pages);
    app.log.info(`job pages: ${server.web!.publicUrl}/jobs/<id>, links signed with ${server.web!.secretSource === "MLOPS_WEB_SECRET" ? "MLOPS_WEB_SECRET" : "a key derived from WEBHOOK_SECRET"}`);
  } else app.log.info("job pages: off (set MLOPS_PUBLIC_URL, and MLOPS_WEB_SECRET or WEBHOOK_SECRET)");
  options.addHandler((req, res) => {
    if (req.method !== "GET" || req.url !== "/healthz") return false;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", jobs: worker.active }));
    return true;
  });
  const worker = new Worker({
    store: engine.store,
    artifacts: engine.artifacts,
    executors: engine.executors,
    leftoverSweepers: engine.leftoverSweepers,
    concurrency: server.workerConcurrency,
    log: app.log.child({ name: "worker" }),
    hostFor: async (repo) => new GitHubCodeHost(await app.auth(repo.installationId), repo.owner, repo.name, appLogin, engine.jobPageUrl),
  });
  const stop = (signal: string) => {
    app.log.info({ signal }, "stopping: finishing running jobs");
    void worker
      .stop()
      .then(() => Promise.all([engine.store.close(), engine.parser.close()]))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  // Without a sandbox the local runner refuses jobs (or, when explicitly allowed, runs them unsandboxed): say so now.
  if (engine.localRunner.sandbox === "unavailable") app.log.error(`runner: local refuses every job: ${engine.localRunner.message ?? ""}`);
  else if (engine.localRunner.sandbox === "none") app.log.warn(engine.localRunner.message ?? "local jobs run unsandboxed");
  else app.log.info("runner: local runs jobs in a bubblewrap sandbox");
  engine.onWake(() => void worker.wake());
  void worker.start();
  if (server.publicUrl) app.log.info(`GitHub App webhook URL: ${server.publicUrl}${process.env.WEBHOOK_PATH ?? "/api/github/webhooks"}`);
};

try {
  const { SmeeClient } = await prepareSetupFlow(process.env);
  await run(appFn, { Octokit: ProbotOctokit.plugin(githubMetricsPlugin(engine.metrics)), SmeeClient });
} catch (e) {
  // e.g. production mode without APP_ID / PRIVATE_KEY: say what to set, without a stack trace.
  console.error(`mlops-bot cannot start: ${(e as Error).message}`);
  process.exit(1);
}
