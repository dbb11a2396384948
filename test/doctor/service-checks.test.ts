import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerCheck } from "../../src/doctor/checks/docker-check.js";
import { mlflowCheck } from "../../src/doctor/checks/mlflow-check.js";
import { registryCheck } from "../../src/doctor/checks/registry-check.js";
import { dockerServices, registryDigest } from "../helpers/docker-services.js";
import { doctorEnv, runCheck } from "../helpers/doctor-harness.js";
import { closedPortUrl, startForwardingProxy } from "../helpers/forwarding-proxy.js";
import { API, REPO_PATH, nockInstallationToken, nockRepoConfig } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { MLFLOW_URI, waitForMlflow } from "../helpers/mlflow-service.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";
const docker = dockerServices();

describe.runIf(MLFLOW_URI || required)("MLflow check on a real MLflow tracking server", () => {
  let guarded: Awaited<ReturnType<typeof startForwardingProxy>>;

  beforeAll(async () => {
    if (!MLFLOW_URI) throw new Error("MLOPS_REQUIRE_DOCKER=1 but the test services have no MLflow server (scripts/start-test-mlflow.sh)");
    await waitForMlflow(MLFLOW_URI);
    // The same server behind a front that wants a bearer token, as a hosted MLflow does.
    guarded = await startForwardingProxy({
      target: MLFLOW_URI,
      route: (req) => (req.headers.authorization === "Bearer the-right-token" ? undefined : { status: 401, body: '{"error_code":"UNAUTHENTICATED"}' }),
    });
  }, 300_000);
  afterAll(() => guarded?.close());

  const jobEnv = (uri: string, extra: Record<string, string> = {}) => doctorEnv({ MLFLOW_TRACKING_URI: uri, MLOPS_JOB_ENV: "MLFLOW_TRACKING_URI,MLFLOW_TRACKING_TOKEN", ...extra });

  it("creates and deletes a run in the scratch experiment with the job's credentials", async () => {
    const plain = await runCheck(mlflowCheck, { env: jobEnv(MLFLOW_URI!), repo: null, github: null });
    expect(plain.status).toBe("ok");
    expect(plain.found).toMatch(/created run \w+ in experiment \d+ and deleted it/);
    const withToken = await runCheck(mlflowCheck, { env: jobEnv(guarded.url, { MLFLOW_TRACKING_TOKEN: "the-right-token" }), repo: null, github: null });
    expect(withToken.status).toBe("ok");
  });

  it("fails when the job's token is refused, and when MLflow is down", async () => {
    const refused = await runCheck(mlflowCheck, { env: jobEnv(guarded.url, { MLFLOW_TRACKING_TOKEN: "a-stale-token" }), repo: null, github: null });
    expect(refused.status).toBe("fail");
    expect(refused.found).toContain("answered 401");
    expect(refused.fix).toContain("MLFLOW_TRACKING_TOKEN");
    const down = await runCheck(mlflowCheck, { env: jobEnv(await closedPortUrl()), repo: null, github: null });
    expect(down.status).toBe("fail");
    expect(down.found).toContain("ECONNREFUSED");
    expect(down.fix).toContain("Check that the tracking server runs");
  });

  it("warns when jobs are not given the tracking URI", async () => {
    const result = await runCheck(mlflowCheck, { env: doctorEnv({ MLFLOW_TRACKING_URI: MLFLOW_URI! }), repo: null, github: null });
    expect(result.status).toBe("warn");
    expect(result.fix).toContain("MLOPS_JOB_ENV");
  });
});

/** The repository config on the default branch naming the test registry. */
function nockRegistryConfig(registry: string) {
  nock(API).get(`${REPO_PATH}/installation`).reply(200, gh.repoInstallation({ id: INSTALLATION_ID }));
  nockInstallationToken();
  nockRepoConfig(`registry: ${registry}\n`);
}

describe.runIf(docker || required)("registry and Docker engine checks on the test engine and registry", () => {
  const env = (password: string) =>
    doctorEnv({ MLOPS_DOCKER_HOST: `unix://${docker!.socketPath}`, MLOPS_REGISTRY_AUTH: "basic", MLOPS_REGISTRY_USERNAME: docker!.auth.username, MLOPS_REGISTRY_PASSWORD: password });

  it("signs in, pushes a one-layer canary and deletes it", async () => {
    nockRegistryConfig(`${docker!.registry}/doctor`);
    const result = await runCheck(registryCheck, { env: env(docker!.auth.password) });
    expect(result.status).toBe("ok");
    const digest = /canary (sha256:[0-9a-f]{12})/.exec(result.found)?.[1];
    expect(digest).toBeDefined();
    const tags = await fetch(`http://${docker!.registry}/v2/doctor/mlops-bot-doctor/tags/list`, {
      headers: { authorization: `Basic ${Buffer.from(`${docker!.auth.username}:${docker!.auth.password}`).toString("base64")}` },
    }).then((r) => r.json() as Promise<{ tags: string[] | null }>);
    // Every canary's manifest was deleted, so no tag resolves any more.
    for (const tag of tags.tags ?? []) expect(await registryDigest(docker!, "doctor/mlops-bot-doctor", tag)).toBeNull();
  });

  it("fails when the registry refuses the password, naming the variables to fix", async () => {
    nockRegistryConfig(`${docker!.registry}/doctor`);
    const result = await runCheck(registryCheck, { env: env("not-the-password") });
    expect(result.status).toBe("fail");
    expect(result.found).toContain("refused the credentials");
    expect(result.fix).toContain("MLOPS_REGISTRY_PASSWORD");
  });

  it("Docker engine: passes on the test engine, fails on a socket where none listens", async () => {
    const ok = await runCheck(dockerCheck, { env: env(docker!.auth.password), repo: null, github: null });
    expect(ok.status).toBe("ok");
    expect(ok.found).toMatch(/^Docker \d+\.\d+/);
    const none = await runCheck(dockerCheck, { env: doctorEnv({ MLOPS_DOCKER_HOST: "unix:///nonexistent/docker.sock" }), repo: null, github: null });
    expect(none.status).toBe("fail");
    expect(none.fix).toContain("MLOPS_DOCKER_HOST");
  });
});
