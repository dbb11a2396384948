import nock from "nock";
import { describe, expect, it } from "vitest";
import { probeBubblewrap } from "../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import { appKeyAgeCheck } from "../../src/doctor/checks/app-key-age-check.js";
import { cloudRunCheck, JOB_PERMISSIONS } from "../../src/doctor/checks/cloud-run-check.js";
import { jobToolsCheck } from "../../src/doctor/checks/job-tools-check.js";
import { sandboxCheck } from "../../src/doctor/checks/sandbox-check.js";
import { serviceAccountKeysCheck } from "../../src/doctor/checks/service-account-keys-check.js";
import { doctorEnv, runCheck, testGoogleApi } from "../helpers/doctor-harness.js";
import { JOB_PATH } from "../helpers/example-repo.js";
import { cloudRunClientOptions } from "../helpers/fake-cloud-run.js";

const RUN_API = "https://run.googleapis.com";
const IAM_API = "https://iam.googleapis.com";
const SECRETS_API = "https://secretmanager.googleapis.com";
const JOB = "projects/ml-project/locations/europe-west1/jobs/mlops-bot-training";
const TRAINING_SA = "mlops-bot-training@ml-project.iam.gserviceaccount.com";
const BOT_SA = "mlops-bot-bot@ml-project.iam.gserviceaccount.com";
const cloudEnv = () => doctorEnv({ MLOPS_CLOUD_RUN_JOB: JOB, MLOPS_ARTIFACTS: "gs://ml-project-artifacts/artifacts" });

/** `GET /v2/{job}` (Cloud Run Admin API v2 `Job`, the fields the check reads). */
function nockJob(found = true) {
  const scope = nock(RUN_API).get(`/v2/${JOB}`).query(true);
  if (!found) return scope.reply(404, { error: { code: 404, message: `Resource '${JOB}' was not found`, status: "NOT_FOUND" } });
  return scope.reply(200, {
    name: JOB,
    uid: "3f1b2c4d-0000-4000-8000-000000000001",
    createTime: "2026-10-01T08:00:00Z",
    template: { taskCount: 1, template: { serviceAccount: TRAINING_SA, maxRetries: 0, timeout: "3600s", containers: [{ image: "europe-west1-docker.pkg.dev/ml-project/mlops-bot/training:latest" }] } },
  });
}

const nockJobPermissions = (granted: string[]) => nock(RUN_API).post(`/v2/${JOB}:testIamPermissions`).query(true).reply(200, { permissions: granted });

/** IAM `serviceAccounts.testIamPermissions` (v1): the subset of the asked permissions the caller has. */
const nockActAs = (granted: boolean) =>
  nock(IAM_API)
    .post(`/v1/projects/-/serviceAccounts/${encodeURIComponent(TRAINING_SA)}:testIamPermissions`, { permissions: ["iam.serviceAccounts.actAs"] })
    .reply(200, granted ? { permissions: ["iam.serviceAccounts.actAs"] } : {});

describe("Cloud Run training job check (nock: Cloud Run Admin API v2, IAM)", () => {
  const run = () => runCheck(cloudRunCheck, { env: cloudEnv(), repo: null, github: null, cloudRunClientOptions: cloudRunClientOptions() });

  it("passes when the job exists, the bot may run and follow it, and act as its account", async () => {
    nockJob();
    nockJobPermissions(JOB_PERMISSIONS);
    nockActAs(true);
    const result = await run();
    expect(result.status).toBe("ok");
    expect(result.found).toContain(`runs as ${TRAINING_SA}`);
  });

  it("fails when the job does not exist", async () => {
    nockJob(false);
    const result = await run();
    expect(result.status).toBe("fail");
    expect(result.found).toBe(`${JOB} does not exist.`);
    expect(result.fix).toContain("training_image");
  });

  it("fails naming the permissions the bot lacks on the job, and actAs on its account", async () => {
    nockJob();
    nockJobPermissions(["run.executions.get"]);
    const lacking = await run();
    expect(lacking.status).toBe("fail");
    expect(lacking.found).toContain("run.jobs.runWithOverrides, run.executions.cancel");

    nockJob();
    nockJobPermissions(JOB_PERMISSIONS);
    nockActAs(false);
    const actAs = await run();
    expect(actAs.status).toBe("fail");
    expect(actAs.fix).toContain(`roles/iam.serviceAccountUser on ${TRAINING_SA}`);
  });

  it("is not applicable without MLOPS_CLOUD_RUN_JOB", async () => {
    expect((await runCheck(cloudRunCheck, { repo: null, github: null })).status).toBe("skip");
  });
});

/** IAM `serviceAccounts.keys.list` with `keyTypes=USER_MANAGED`. */
function nockKeys(account: string, keys: Array<{ id: string; created: string }>) {
  return nock(IAM_API)
    .get(`/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}/keys`)
    .query({ keyTypes: "USER_MANAGED" })
    .reply(
      200,
      keys.length
        ? {
            keys: keys.map((k) => ({
              name: `projects/ml-project/serviceAccounts/${account}/keys/${k.id}`,
              validAfterTime: k.created,
              validBeforeTime: "9999-12-31T23:59:59Z",
              keyAlgorithm: "KEY_ALG_RSA_2048",
              keyOrigin: "GOOGLE_PROVIDED",
              keyType: "USER_MANAGED",
            })),
          }
        : {},
    );
}

describe("service account keys check (nock: IAM)", () => {
  const run = () => runCheck(serviceAccountKeysCheck, { env: cloudEnv(), repo: null, github: null, google: testGoogleApi(BOT_SA), cloudRunClientOptions: cloudRunClientOptions() });

  it("passes when neither the bot's nor the training job's account has a user-managed key", async () => {
    nockJob();
    nockKeys(BOT_SA, []);
    nockKeys(TRAINING_SA, []);
    const result = await run();
    expect(result.status).toBe("ok");
    expect(result.found).toBe(`bot ${BOT_SA}: no user-managed keys\ntraining ${TRAINING_SA}: no user-managed keys`);
  });

  it("fails on a user-managed key, with the command that deletes it", async () => {
    nockJob();
    nockKeys(BOT_SA, []);
    nockKeys(TRAINING_SA, [{ id: "1a2b3c4d5e6f", created: "2026-03-01T10:00:00Z" }]);
    const result = await run();
    expect(result.status).toBe("fail");
    expect(result.found).toContain(`training ${TRAINING_SA}: 1 user-managed key(s)`);
    expect(result.fix).toContain(`gcloud iam service-accounts keys delete 1a2b3c4d5e6f --iam-account ${TRAINING_SA}`);
  });

  it("is not applicable off Google Cloud", async () => {
    expect((await runCheck(serviceAccountKeysCheck, { repo: null, github: null })).status).toBe("skip");
  });
});

describe("GitHub App private key age check (nock: Secret Manager)", () => {
  const SECRET = "projects/ml-project/secrets/mlops-bot-private-key";
  const nockVersion = (daysOld: number) =>
    nock(SECRETS_API)
      .get(`/v1/${SECRET}/versions/latest`)
      .reply(200, { name: `projects/123456789/secrets/mlops-bot-private-key/versions/3`, createTime: new Date(Date.now() - daysOld * 86_400_000).toISOString(), state: "ENABLED", etag: '"16290e3f1c2b5"' });

  it("passes for a key younger than the limit and warns past it, with the rotation steps", async () => {
    nockVersion(12);
    const fresh = await runCheck(appKeyAgeCheck, { env: doctorEnv({ MLOPS_APP_KEY_SECRET: SECRET }), repo: null, github: null });
    expect(fresh.status).toBe("ok");
    expect(fresh.found).toContain("12 day(s) ago");

    nockVersion(40);
    const old = await runCheck(appKeyAgeCheck, { env: doctorEnv({ MLOPS_APP_KEY_SECRET: SECRET, MLOPS_APP_KEY_MAX_AGE_DAYS: "30" }), repo: null, github: null });
    expect(old.status).toBe("warn");
    expect(old.fix).toContain("docs/operations.md#rotating-the-github-apps-private-key");
  });
});

describe("local runner sandbox and job tools checks (real bwrap, git, dvc)", () => {
  it.runIf(probeBubblewrap(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined).ok)("passes where bubblewrap can make a sandbox", async () => {
    expect((await runCheck(sandboxCheck, { repo: null, github: null })).status).toBe("ok");
  });

  it("fails without bwrap, and only warns when unsandboxed jobs are allowed", async () => {
    const refused = await runCheck(sandboxCheck, { repo: null, github: null, bwrapCandidates: ["/nonexistent/bwrap"] });
    expect(refused.status).toBe("fail");
    expect(refused.fix).toContain("apt-get install bubblewrap");
    const allowed = await runCheck(sandboxCheck, { env: doctorEnv({ MLOPS_ALLOW_UNSANDBOXED: "true" }), repo: null, github: null, bwrapCandidates: ["/nonexistent/bwrap"] });
    expect(allowed.status).toBe("warn");
  });

  it("finds git and dvc on the job PATH, and fails naming what is missing", async () => {
    const found = await runCheck(jobToolsCheck, { env: doctorEnv({ MLOPS_JOB_PATH: JOB_PATH }), repo: null, github: null });
    expect(found.status).toBe("ok");
    expect(found.found).toMatch(/dvc \(the job PATH\): .*dvc, \d+\.\d+/);
    const missing = await runCheck(jobToolsCheck, { env: doctorEnv({ MLOPS_JOB_PATH: "/nonexistent/bin" }), repo: null, github: null });
    expect(missing.status).toBe("fail");
    expect(missing.found).toContain("dvc (the job PATH): not found");
    expect(missing.fix).toContain("Install dvc and git");
  });
});
