import pino from "pino";
import { ProbotOctokit } from "probot";
import { GitHubCodeHost } from "../../src/adapters/github/github-code-host.js";
import type { Engine } from "../../src/create-engine.js";
import { Worker } from "../../src/jobs/worker.js";

/**
 * A worker for a bot in a child process of a test (out of reach of the test's nock): it runs the
 * engine's jobs and reports to the fake GitHub server at `baseUrl` (`startFakeGitHub`), which
 * holds calls to GitHub's OpenAPI description as nock does. No retries and no write throttle.
 */
export function fakeGitHubWorker(engine: Engine, params: { baseUrl: string; token: string; leaseMs?: number }): Worker {
  const octokit = new ProbotOctokit({ baseUrl: params.baseUrl, auth: params.token, retry: { enabled: false }, throttle: { enabled: false } });
  return new Worker({
    store: engine.store,
    artifacts: engine.artifacts,
    executors: engine.executors,
    leftoverSweepers: engine.leftoverSweepers,
    hostFor: (repo) => Promise.resolve(new GitHubCodeHost(octokit, repo.owner, repo.name, () => Promise.resolve("mlops-bot[bot]"))),
    concurrency: 1,
    log: pino({ level: "silent" }),
    pollMs: 100,
    ...(params.leaseMs ? { leaseMs: params.leaseMs } : {}),
  });
}
