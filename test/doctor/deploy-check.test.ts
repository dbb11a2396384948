import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { deployCheck, MODELS_PERMISSIONS, SERVICE_PERMISSIONS } from "../../src/doctor/checks/deploy-check.js";
import { doctorEnv, runCheck } from "../helpers/doctor-harness.js";
import { cloudRunClientOptions } from "../helpers/fake-cloud-run.js";
import { FakeCloudRunService } from "../helpers/fake-cloud-run-service.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { API, REPO_PATH, nockInstallationToken, nockRepoConfig } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";

// Cloud Run (Admin API v2) through the contract-checked fake of the inference service; Cloud
// Storage's and IAM's permission tests with nock in the shapes of their REST references (the
// emulator has no IAM); the bucket itself on fake-gcs-server where it runs.
const RUN_API = "https://run.googleapis.com";
const STORAGE_API = "https://storage.googleapis.com";
const IAM_API = "https://iam.googleapis.com";
const SERVICE = "projects/ml-project/locations/europe-west1/services/mlops-bot-inference";
const SERVICE_SA = "mlops-bot-inference@ml-project.iam.gserviceaccount.com";
const BUCKET = "ml-project-mlops-bot-models";
const deployEnv = (extra: Record<string, string> = {}) => doctorEnv({ MLOPS_DEPLOY_SERVICE: SERVICE, MLOPS_DEPLOY_MODELS: `gs://${BUCKET}`, ...extra });
const run = (env = deployEnv()) => runCheck(deployCheck, { env, repo: null, github: null, cloudRunClientOptions: cloudRunClientOptions() });

let service: FakeCloudRunService | undefined;
afterEach(() => {
  service?.stop();
  service = undefined;
});

/** Storage JSON API: `objects.list` (one page of one) and `buckets.testIamPermissions` answering `granted`. */
function nockBucket(granted: string[]) {
  nock(STORAGE_API).get(`/storage/v1/b/${BUCKET}/o`).query({ maxResults: "1", prefix: "" }).reply(200, { kind: "storage#objects" });
  nock(STORAGE_API)
    .get(`/storage/v1/b/${BUCKET}/iam/testPermissions`)
    .query((q) => [q.permissions].flat().join() === MODELS_PERMISSIONS.join())
    .reply(200, { kind: "storage#testIamPermissionsResponse", ...(granted.length ? { permissions: granted } : {}) });
}

const nockServicePermissions = (granted: string[]) => nock(RUN_API).post(`/v2/${SERVICE}:testIamPermissions`).query(true).reply(200, { permissions: granted });
const nockActAs = (granted: boolean) =>
  nock(IAM_API)
    .post(`/v1/projects/-/serviceAccounts/${encodeURIComponent(SERVICE_SA)}:testIamPermissions`, { permissions: ["iam.serviceAccounts.actAs"] })
    .reply(200, granted ? { permissions: ["iam.serviceAccounts.actAs"] } : {});

describe("model promotions check: settings", () => {
  it("says promotions are off without MLOPS_DEPLOY_*, and warns when the repository asks for them on merge", async () => {
    const off = await runCheck(deployCheck, { repo: null, github: null });
    expect(off.status).toBe("skip");
    expect(off.found).toContain("Promotions are off: MLOPS_DEPLOY_SERVICE and MLOPS_DEPLOY_MODELS are not set");

    nock(API).get(`${REPO_PATH}/installation`).reply(200, gh.repoInstallation({ id: INSTALLATION_ID }));
    nockInstallationToken();
    nockRepoConfig("deploy:\n  on_merge: true\n");
    const asked = await runCheck(deployCheck);
    expect(asked.status).toBe("warn");
    expect(asked.found).toContain("The repository sets `deploy.on_merge: true`, but promotions are off on this bot");
    expect(asked.fix).toContain("Set MLOPS_DEPLOY_SERVICE to the inference Cloud Run service");
  });

  it("fails on a half-set or malformed setting, naming the variable and what to set", async () => {
    const half = await run(doctorEnv({ MLOPS_DEPLOY_SERVICE: SERVICE }));
    expect(half.status).toBe("fail");
    expect(half.found).toContain("environment variable MLOPS_DEPLOY_MODELS: promotions need both");
    expect(half.fix).toContain("`terraform output inference_service`");

    const s3 = await run(deployEnv({ MLOPS_DEPLOY_MODELS: "s3://models" }));
    expect(s3.status).toBe("fail");
    expect(s3.found).toMatch(/^environment variable MLOPS_DEPLOY_MODELS: .*gs:\/\//);
  });
});

describe("model promotions check: the models bucket and the inference service (nock: Cloud Run, Storage and IAM permissions)", () => {
  it("passes when the bucket takes new objects and the service loads its model from it, and the bot may update it as its account", async () => {
    nockBucket(MODELS_PERMISSIONS);
    service = new FakeCloudRunService(SERVICE);
    nockServicePermissions(SERVICE_PERMISSIONS);
    nockActAs(true);
    const result = await run();
    expect(result.status).toBe("ok");
    expect(result.found).toContain(`gs://${BUCKET} opens and takes new objects from the bot.`);
    expect(result.found).toContain(`${SERVICE} loads its model from a Cloud Storage volume (now gs://${BUCKET}/first) and serves mlops-bot-inference-00001-abc`);
  });

  it("fails naming what the bot lacks: object creation in the bucket, run.services.update, actAs on the service's account", async () => {
    nockBucket([]);
    const bucket = await run();
    expect(bucket.status).toBe("fail");
    expect(bucket.found).toBe(`The bot lacks storage.objects.create on gs://${BUCKET}, so it cannot upload models there.`);
    expect(bucket.fix).toContain("roles/storage.objectCreator");

    nockBucket(MODELS_PERMISSIONS);
    service = new FakeCloudRunService(SERVICE);
    nockServicePermissions(["run.services.get"]);
    const update = await run();
    expect(update.status).toBe("fail");
    expect(update.found).toBe(`The bot lacks run.services.update on ${SERVICE}.`);

    nockBucket(MODELS_PERMISSIONS);
    nockServicePermissions(SERVICE_PERMISSIONS);
    nockActAs(false);
    const actAs = await run();
    expect(actAs.status).toBe("fail");
    expect(actAs.fix).toContain(`roles/iam.serviceAccountUser on ${SERVICE_SA}`);
  });

  it("fails on a missing service, and on one that serves the model baked into its image", async () => {
    nockBucket(MODELS_PERMISSIONS);
    nock(RUN_API)
      .get(`/v2/${SERVICE}`)
      .query(true)
      .reply(404, { error: { code: 404, message: `Resource '${SERVICE}' was not found`, status: "NOT_FOUND" } });
    const missing = await run();
    expect(missing.status).toBe("fail");
    expect(missing.found).toBe(`${SERVICE} does not exist.`);
    expect(missing.fix).toContain("MLOPS_DEPLOY_SERVICE");

    nockBucket(MODELS_PERMISSIONS);
    service = new FakeCloudRunService(SERVICE, { modelInImage: true });
    const baked = await run();
    expect(baked.status).toBe("fail");
    expect(baked.found).toContain("serves the model baked into its image");
    expect(baked.fix).toContain("inference_model_uri");
  });

  it("warns when the service mounts its model from another bucket than MLOPS_DEPLOY_MODELS", async () => {
    nockBucket(MODELS_PERMISSIONS);
    service = new FakeCloudRunService(SERVICE, { modelsBucket: "ml-project-old-models" });
    nockServicePermissions(SERVICE_PERMISSIONS);
    nockActAs(true);
    const result = await run();
    expect(result.status).toBe("warn");
    expect(result.found).toContain(`The service mounts its model from gs://ml-project-old-models, but promotions upload to gs://${BUCKET}`);
    expect(result.fix).toContain("Point MLOPS_DEPLOY_MODELS at gs://ml-project-old-models");
  });
});

const gcs = gcsEmulator();

describe.runIf(gcs)("model promotions check: the models bucket on fake-gcs-server", () => {
  it("opens an existing bucket (the emulator has no IAM to test), and fails naming a missing one", async () => {
    service = new FakeCloudRunService(SERVICE, { modelsBucket: gcs!.bucket });
    nockServicePermissions(SERVICE_PERMISSIONS);
    nockActAs(true);
    const models = gcs!.url("models");
    const found = await run(deployEnv({ MLOPS_GCS_ENDPOINT: gcs!.endpoint, MLOPS_DEPLOY_MODELS: models }));
    expect(found.status).toBe("ok");
    expect(found.found).toContain(`${models} opens (the Cloud Storage emulator at ${gcs!.endpoint}: it has no IAM`);

    const absent = await run(deployEnv({ MLOPS_GCS_ENDPOINT: gcs!.endpoint, MLOPS_DEPLOY_MODELS: "gs://no-such-models-bucket/models" }));
    expect(absent.status).toBe("fail");
    expect(absent.found).toBe("gs://no-such-models-bucket/models: the bucket no-such-models-bucket does not exist.");
    expect(absent.fix).toContain("MLOPS_DEPLOY_MODELS");
  });
});
