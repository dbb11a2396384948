/**
 * The bot under attack, in a process of its own so that its environment is real: the planted
 * secrets are in `/proc/<pid>/environ` of this process, as they would be in production. Wired like
 * `main.ts` (the engine gets this process's environment), with the worker's GitHub calls going to
 * the fake GitHub server at FAKE_GITHUB_URL, authenticated with TEST_INSTALLATION_TOKEN. It claims
 * and runs the jobs queued in the SQLite store of MLOPS_DATA_DIR until it is stopped.
 *
 * Usage: tsx test/security/attacked-bot.ts   (everything comes from the environment; cwd is the bot's folder)
 */
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine } from "../../src/create-engine.js";
import { fakeGitHubWorker } from "../helpers/fake-github-worker.js";

const engine = createEngine(loadServerConfig(process.env), { botEnv: process.env });
const worker = fakeGitHubWorker(engine, { baseUrl: process.env.FAKE_GITHUB_URL ?? "", token: process.env.TEST_INSTALLATION_TOKEN ?? "" });
// main.ts's HTTP server keeps the bot alive; here nothing else would, since the worker's timers are
// unref'd: a first look that found no job yet (the test queues it while this process starts, so
// on a loaded machine it may come second) ended the process with exit code 0.
const keepAlive = setInterval(() => {}, 60_000);
process.once("SIGTERM", () => {
  clearInterval(keepAlive);
  void worker.stop().then(() => engine.store.close()).finally(() => process.exit(0));
});
await worker.start();
process.stdout.write(`attacked bot ${process.pid} running (sandbox: ${engine.localRunner.sandbox})\n`);
