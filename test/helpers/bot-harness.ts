import path from "node:path";
import nock from "nock";
import pino from "pino";
import type { Probot } from "probot";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine, type Engine } from "../../src/create-engine.js";
import { createWorker } from "../../src/create-worker.js";
import { createApp } from "../../src/index.js";
import type { Worker } from "../../src/jobs/worker.js";
import { githubMetricsPlugin } from "../../src/metrics/github-metrics-plugin.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { API } from "./github-nock.js";
import * as gh from "./github-responses.js";
import { JOB_PATH } from "./example-repo.js";
import { OWNER, REPO } from "./payloads.js";
import { sharedParser } from "./shared-parser.js";
import { TestOctokit, testProbot } from "./test-probot.js";

export interface BotHarness {
  readonly probot: Probot;
  readonly engine: Engine;
  readonly worker: Worker;
  readonly dataDir: string;
  /** Where the test's "GitHub" repositories are (`<originRoot>/<owner>/<repo>`): sources and the repo config come from there. */
  readonly originRoot: string;
  /** Every GitHub API call made through `api()` scopes, as `METHOD path`. */
  readonly calls: Array<{ method: string; path: string; body: unknown }>;
  /** A nock scope on api.github.com that records its calls into `calls`. */
  api: () => nock.Scope;
  deliver: (name: string, payload: unknown, id?: string) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * The whole bot on the embedded defaults, wired like `main.ts`: Probot app, SQLite store, git
 * sources from local "GitHub" repos under `originRoot/<owner>/<repo>`, local runner with the
 * project venv, and a worker. Only GitHub's API is faked (nock).
 */
export async function startBot(params: {
  dir: string;
  originRoot: string;
  store?: JobStore;
  concurrency?: number;
  progressEveryMs?: number;
  env?: Record<string, string>;
  /** The worker's lease (default: the worker's own). */
  leaseMs?: number;
  /** How often the worker polls its store (default 100 ms; `undefined`: the worker's own default, as the bot runs). */
  pollMs?: number | undefined;
  /** Start a parse worker before returning, as the bot does at its start (`main.ts`). */
  warmParser?: boolean;
  /** Options for the Cloud Run runner (tests give it an auth client and a short poll). */
  cloudRun?: { clientOptions?: Record<string, unknown>; pollMs?: number };
}): Promise<BotHarness> {
  const dataDir = path.join(params.dir, "data");
  const server = loadServerConfig({
    MLOPS_DATA_DIR: dataDir,
    MLOPS_CLONE_URL: path.join(params.originRoot, "{owner}", "{repo}"),
    MLOPS_JOB_PATH: JOB_PATH,
    PATH: process.env.PATH,
    ...params.env,
  });
  const engine = createEngine(server, {
    botEnv: params.env ?? {},
    // One parse pool per test file: a bot per test need not load the parsers into a new thread.
    parser: sharedParser(server),
    ...(params.store ? { store: params.store } : {}),
    ...(params.cloudRun ? { cloudRun: params.cloudRun } : {}),
  });
  // GitHub calls are counted as main.ts counts them.
  const probot = testProbot({ Octokit: TestOctokit.plugin(githubMetricsPlugin(engine.metrics)) });
  await probot.load(createApp(engine));
  const worker = createWorker({
    engine,
    app: probot,
    concurrency: params.concurrency ?? 1,
    log: pino({ level: "silent" }),
    tuning: {
      ...("pollMs" in params ? (params.pollMs === undefined ? {} : { pollMs: params.pollMs }) : { pollMs: 100 }),
      progressEveryMs: params.progressEveryMs ?? 60_000,
      ...(params.leaseMs ? { leaseMs: params.leaseMs } : {}),
    },
  });
  if (params.warmParser) await engine.parser.warm?.();
  const calls: BotHarness["calls"] = [];
  let delivery = 0;
  return {
    probot,
    engine,
    worker,
    dataDir,
    originRoot: params.originRoot,
    calls,
    api: () => {
      // The app's login (`GET /app`, asked once per bot) is there whenever a test fakes GitHub.
      if (!nock.activeMocks().some((m) => m.endsWith("api.github.com:443/app"))) nock(API).get("/app").optionally().reply(200, gh.appResponse()).persist();
      return nock(API).on("request", (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
        calls.push({ method: req.method, path: req.path, body: body ? safeJson(body) : undefined });
      });
    },
    deliver: (name, payload, id) => probot.receive({ id: id ?? `delivery-${++delivery}`, name: name as never, payload: payload as never }),
    stop: async () => {
      await worker.stop();
      await engine.store.close();
      await engine.parser.close();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const REPO_API = `/repos/${OWNER}/${REPO}`;
