import type { Probot } from "probot";
import { appLoginOf } from "./adapters/github/app-login.js";
import { GitHubCodeHost } from "./adapters/github/github-code-host.js";
import type { Engine } from "./create-engine.js";
import { Worker, type WorkerOptions } from "./jobs/worker.js";
import type { Logger } from "./ports/logger.js";

/**
 * The job worker of a bot: the engine's store, artifacts, executors and sweepers; a code host
 * per job from the app's installation token; woken by every enqueue. The one place the bot
 * (`main.ts`) and the tests' bot wire it.
 */
export function createWorker(params: {
  engine: Engine;
  app: Probot;
  log: Logger;
  concurrency: number;
  /** Timing knobs (tests poll faster and report progress less often). */
  tuning?: Pick<WorkerOptions, "pollMs" | "progressEveryMs" | "leaseMs">;
}): Worker {
  const { engine, app } = params;
  const appLogin = appLoginOf(app);
  const worker = new Worker({
    store: engine.store,
    artifacts: engine.artifacts,
    executors: engine.executors,
    leftoverSweepers: engine.leftoverSweepers,
    concurrency: params.concurrency,
    log: params.log,
    hostFor: async (repo) => new GitHubCodeHost(await app.auth(repo.installationId), repo.owner, repo.name, appLogin, engine.jobPageUrl),
    ...params.tuning,
  });
  engine.onWake(() => void worker.wake());
  return worker;
}
