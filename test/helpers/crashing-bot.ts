/**
 * A bot worker in its own process, for kill-and-restart tests: it claims and runs jobs from the
 * SQLite store under `dataDir` until it is killed. GitHub is out of reach of a child process's
 * nock: its calls go to the fake GitHub server at FAKE_GITHUB_URL (`startFakeGitHub`), which
 * holds them to GitHub's OpenAPI description like nock does.
 *
 * Usage: tsx test/helpers/crashing-bot.ts <dataDir> <cloneUrl> <jobPath>
 * Extra settings come from its environment: FAKE_GITHUB_URL (required), MLOPS_* server variables (e.g. MLOPS_ARTIFACTS,
 * MLOPS_CLOUD_RUN_JOB), FAKE_CLOUD_RUN_PORT (a FakeCloudRun listening on 127.0.0.1) and
 * TEST_LEASE_MS (the worker's lease).
 */
import { googleAuthLibrary } from "google-gax";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine } from "../../src/create-engine.js";
import { fakeGitHubWorker } from "./fake-github-worker.js";

const [dataDir, cloneUrl, jobPath] = process.argv.slice(2);
const server = loadServerConfig({ ...process.env, MLOPS_DATA_DIR: dataDir, MLOPS_CLONE_URL: cloneUrl, MLOPS_JOB_PATH: jobPath });
const cloudRunPort = process.env.FAKE_CLOUD_RUN_PORT;
const auth = new googleAuthLibrary.OAuth2Client();
auth.setCredentials({ access_token: "ya29.test-token", expiry_date: Date.now() + 3_600_000 });
const engine = createEngine(server, {
  botEnv: {},
  ...(cloudRunPort
    ? { cloudRun: { pollMs: 100, clientOptions: { fallback: true, authClient: auth, apiEndpoint: "127.0.0.1", port: Number(cloudRunPort), protocol: "http" } } }
    : {}),
});
const baseUrl = process.env.FAKE_GITHUB_URL;
if (!baseUrl) throw new Error("crashing-bot: set FAKE_GITHUB_URL to a fake GitHub server (startFakeGitHub)");
const worker = fakeGitHubWorker(engine, { baseUrl, token: "ghs_fake", ...(process.env.TEST_LEASE_MS ? { leaseMs: Number(process.env.TEST_LEASE_MS) } : {}) });
await worker.start();
process.stdout.write(`worker ${worker.id} started\n`);
