import { createHmac } from "node:crypto";
import nock from "nock";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { createDoctorCommand } from "../../src/cli/commands/doctor.js";
import { runCli } from "../../src/cli/run-cli.js";
import { dockerServices } from "../helpers/docker-services.js";
import { doctorEnv, testGoogleApi } from "../helpers/doctor-harness.js";
import { JOB_PATH } from "../helpers/example-repo.js";
import { closedPortUrl } from "../helpers/forwarding-proxy.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { API, REPO_PATH, nockInstallationToken, nockRepoConfig } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { INSTALLATION_ID, prCommentPayload } from "../helpers/payloads.js";
import { TestOctokit } from "../helpers/test-probot.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";
const docker = dockerServices();
const gcs = gcsEmulator();

/** GitHub as a deployment broken twice over sees it: the App lost `checks: write`, and it signs with a secret the bot does not have. */
function nockBrokenGitHub(registry: string) {
  const payload = prCommentPayload({ body: "/train" });
  const signature = `sha256=${createHmac("sha256", "the-secret-the-app-has").update(JSON.stringify(payload)).digest("hex")}`;
  nock(API)
    .get("/app")
    .reply(200, gh.appWithGrants({ permissions: { contents: "read", issues: "write", pull_requests: "write", metadata: "read" } }));
  nock(API)
    .get(`${REPO_PATH}/installation`)
    .reply(200, gh.repoInstallation({ id: INSTALLATION_ID, permissions: { contents: "read", issues: "write", pull_requests: "write", metadata: "read" } }));
  nock(API).get("/app/hook/config").reply(200, gh.hookConfig("https://bot.example.com/api/github/webhooks"));
  nock(API).get("/app/hook/deliveries").query({ per_page: 50 }).reply(200, [gh.hookDeliveryItem({ id: 12, statusCode: 400 }), gh.hookDeliveryItem({ id: 11, statusCode: 400 })]);
  nock(API).get("/app/hook/deliveries/12").reply(200, gh.hookDelivery({ id: 12, statusCode: 400, payload, signature, responseBody: "signature does not match" }));
  nockInstallationToken();
  nockRepoConfig(`registry: ${registry}\n`);
  nock(API).get(`${REPO_PATH}/contents/${encodeURIComponent("ml/.dvc/config")}`).reply(404, gh.githubError(404));
  nock(API).get(`${REPO_PATH}/contents/${encodeURIComponent(".dvc/config")}`).reply(404, gh.githubError(404));
}

describe.runIf((docker && gcs) || required)("mlops-bot doctor on a deployment broken five ways", () => {
  let mlflowDown: string;
  beforeAll(async () => {
    mlflowDown = await closedPortUrl();
  });

  it("names each break with its fix and exits with 5", async () => {
    const registry = `${docker!.registry}/broken`;
    nockBrokenGitHub(registry);
    const env = doctorEnv({
      WEBHOOK_SECRET: "the-secret-the-bot-has",
      MLOPS_GCS_ENDPOINT: gcs!.endpoint,
      MLOPS_ARTIFACTS: "gs://no-such-bucket-doctor/artifacts",
      MLOPS_DOCKER_HOST: `unix://${docker!.socketPath}`,
      MLOPS_REGISTRY_AUTH: "basic",
      MLOPS_REGISTRY_USERNAME: docker!.auth.username,
      MLOPS_REGISTRY_PASSWORD: "a-password-the-registry-does-not-know",
      MLFLOW_TRACKING_URI: mlflowDown,
      MLOPS_JOB_ENV: "MLFLOW_TRACKING_URI",
      MLOPS_JOB_PATH: JOB_PATH,
      MLOPS_ALLOW_UNSANDBOXED: "true",
    });
    const out: string[] = [];
    const command = createDoctorCommand({ probotOverrides: { Octokit: TestOctokit, log: pino({ level: "silent" }) }, google: testGoogleApi() });
    const code = await runCli({
      argv: ["doctor", "--repo", "Codertocat/Hello-World"],
      commands: [command],
      io: { cwd: process.cwd(), env, out: (t) => out.push(t), err: (t) => out.push(t) },
    });
    const text = out.join("");
    const section = (title: string) => text.slice(text.indexOf(`❌ ${title}\n`)).split("\n\n")[0]!;

    expect(text, text).toMatch(/^mlops-bot doctor: 5 failed, /);
    expect(section("Webhook deliveries")).toContain("its signature does not match WEBHOOK_SECRET");
    expect(section("Webhook deliveries")).toMatch(/fix: +Give the App and the bot the same secret/);
    expect(section("GitHub App permissions and events")).toContain("lacks `checks: write` (has none)");
    expect(section("GitHub App permissions and events")).toContain("https://github.com/settings/apps/mlops-bot/permissions");
    expect(section("Artifact store")).toContain("gs://no-such-bucket-doctor/artifacts");
    expect(section("Artifact store")).toContain("roles/storage.objectAdmin");
    expect(section("Image registry")).toContain("refused the credentials");
    expect(section("Image registry")).toContain("MLOPS_REGISTRY_PASSWORD");
    expect(section("MLflow")).toContain("ECONNREFUSED");
    expect(section("MLflow")).toContain("fix:");
    expect(text).not.toContain("a-password-the-registry-does-not-know");
    expect(code).toBe(5);
  });

  it("prints the same results as JSON with --json", async () => {
    const out: string[] = [];
    const code = await runCli({
      argv: ["doctor", "--only", "server-config,job-store", "--json"],
      commands: [createDoctorCommand({ google: testGoogleApi() })],
      io: { cwd: process.cwd(), env: doctorEnv({ MLOPS_WORKER_CONCURRENCY: "lots" }), out: (t) => out.push(t), err: (t) => out.push(t) },
    });
    const parsed = JSON.parse(out.join("")) as { failed: number; results: Array<{ id: string; status: string; found: string }> };
    expect(parsed.results.map((r) => [r.id, r.status])).toEqual([["server-config", "fail"], ["job-store", "skip"]]);
    expect(parsed.results[0]!.found).toContain('MLOPS_WORKER_CONCURRENCY: must be a whole number of jobs, like 2 (got "lots")');
    expect(parsed.failed).toBe(1);
    expect(code).toBe(1);
  });
});
