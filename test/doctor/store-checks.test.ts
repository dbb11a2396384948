import { writeFileSync } from "node:fs";
import path from "node:path";
import { Storage } from "@google-cloud/storage";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactStoreCheck } from "../../src/doctor/checks/artifact-store-check.js";
import { dvcRemoteCheck } from "../../src/doctor/checks/dvc-remote-check.js";
import { jobStoreCheck } from "../../src/doctor/checks/job-store-check.js";
import { doctorEnv, runCheck } from "../helpers/doctor-harness.js";
import { startForwardingProxy } from "../helpers/forwarding-proxy.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { API, REPO_PATH, nockInstallationToken, nockRepoConfig } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";

const gcs = gcsEmulator();

/** A folder path under a regular file: nothing can be created there, even by root. */
function unwritableDir(): string {
  const file = path.join(tempDir(), "not-a-folder");
  writeFileSync(file, "");
  return path.join(file, "data");
}

describe("job store and artifact store checks on a local folder", () => {
  it("pass on a writable data folder: the canary is written, refused twice, read back and deleted", async () => {
    const env = doctorEnv();
    const [store, artifacts] = [await runCheck(jobStoreCheck, { env }), await runCheck(artifactStoreCheck, { env })];
    expect(store.status).toBe("ok");
    expect(store.found).toContain("SQLite");
    expect(artifacts.status).toBe("ok");
  });

  it("fail on a data folder that cannot be made, saying which variable to change", async () => {
    const env = doctorEnv({ MLOPS_DATA_DIR: unwritableDir() });
    const [store, artifacts] = [await runCheck(jobStoreCheck, { env }), await runCheck(artifactStoreCheck, { env })];
    expect(store.status).toBe("fail");
    expect(store.fix).toContain("MLOPS_DATA_DIR");
    expect(artifacts.status).toBe("fail");
    expect(artifacts.fix).toContain("MLOPS_ARTIFACTS");
  });
});

describe.runIf(gcs)("job store and artifact store checks on Cloud Storage (fake-gcs-server)", () => {
  let proxy: Awaited<ReturnType<typeof startForwardingProxy>>;

  // A Cloud Storage front that drops generation preconditions, as some S3-style gateways do.
  beforeAll(async () => {
    proxy = await startForwardingProxy({
      target: gcs!.endpoint,
      route: (_req, url) => {
        url.searchParams.delete("ifGenerationMatch");
        return undefined;
      },
    });
  });
  afterAll(() => proxy.close());

  const env = (extra: Record<string, string>) => doctorEnv({ MLOPS_GCS_ENDPOINT: gcs!.endpoint, ...extra });

  it("pass on a bucket that honours preconditions", async () => {
    const result = await runCheck(jobStoreCheck, { env: env({ MLOPS_JOB_STORE: gcs!.url("doctor-jobs") }) });
    expect(result.status).toBe("ok");
    expect(result.found).toContain("refused the duplicate");
    expect((await runCheck(artifactStoreCheck, { env: env({ MLOPS_ARTIFACTS: gcs!.url("doctor-artifacts") }) })).status).toBe("ok");
  });

  it("fail on a bucket that cannot be written (it does not exist), naming the role to grant", async () => {
    const missing = { MLOPS_JOB_STORE: "gs://no-such-bucket-doctor/jobs", MLOPS_ARTIFACTS: "gs://no-such-bucket-doctor/artifacts" };
    const [store, artifacts] = [await runCheck(jobStoreCheck, { env: env(missing) }), await runCheck(artifactStoreCheck, { env: env(missing) })];
    expect(store.status).toBe("fail");
    expect(store.fix).toContain("roles/storage.objectAdmin");
    expect(artifacts.status).toBe("fail");
    expect(artifacts.found).toContain("gs://no-such-bucket-doctor/artifacts");
  });

  it("fails when the store ignores generation preconditions", async () => {
    const result = await runCheck(jobStoreCheck, { env: doctorEnv({ MLOPS_GCS_ENDPOINT: proxy.url, MLOPS_JOB_STORE: gcs!.url("doctor-no-preconditions") }) });
    expect(result.status).toBe("fail");
    expect(result.found).toContain("accepted the same canary mark twice");
  });
});

const DVC_CONFIG = (url: string) => `[core]\n    remote = storage\n['remote "storage"']\n    url = ${url}\n`;
const MD5 = "0123456789abcdef0123456789abcdef";
const DVC_LOCK = `schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py\n    outs:\n    - path: data/train.csv\n      hash: md5\n      md5: ${MD5}\n      size: 12\n`;

/** The repository's default branch as GitHub serves it: config, `ml/.dvc/config`, `ml/dvc.lock`. */
function nockDefaultBranch(files: { dvcConfig?: string; dvcLock?: string }) {
  nock(API).get(`${REPO_PATH}/installation`).reply(200, gh.repoInstallation({ id: INSTALLATION_ID }));
  nockInstallationToken();
  nockRepoConfig(undefined);
  const file = (name: string, text: string | undefined) => {
    const scope = nock(API).get(`${REPO_PATH}/contents/${encodeURIComponent(name)}`);
    if (text === undefined) scope.reply(404, gh.githubError(404));
    else scope.reply(200, text);
  };
  file("ml/.dvc/config", files.dvcConfig);
  if (files.dvcConfig === undefined) file(".dvc/config", undefined);
  if ("dvcLock" in files) file("ml/dvc.lock", files.dvcLock);
}

describe.runIf(gcs)("DVC remote check (fake-gcs-server)", () => {
  const env = (extra: Record<string, string> = {}) => doctorEnv({ MLOPS_GCS_ENDPOINT: gcs!.endpoint, ...extra });

  it("passes a canary round trip through the default branch's remote", async () => {
    const remote = gcs!.url("dvc");
    nockDefaultBranch({ dvcConfig: DVC_CONFIG(remote) });
    const result = await runCheck(dvcRemoteCheck, { env: env() });
    expect(result.status).toBe("ok");
    expect(result.found).toContain(`${remote} (remote \`storage\` of \`ml/\`)`);
  });

  it("fails when the remote's bucket cannot be written", async () => {
    nockDefaultBranch({ dvcConfig: DVC_CONFIG("gs://no-such-bucket-doctor/dvc") });
    const result = await runCheck(dvcRemoteCheck, { env: env() });
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("MLOPS_DVC_REMOTE_READ_ONLY");
  });

  it("read-only: reads the default branch's data from the remote, and warns when it was never pushed", async () => {
    const remote = gcs!.url("dvc-ro");
    const object = `${remote.slice(`gs://${gcs!.bucket}/`.length)}/files/md5/${MD5.slice(0, 2)}/${MD5.slice(2)}`;
    nockDefaultBranch({ dvcConfig: DVC_CONFIG(remote), dvcLock: DVC_LOCK });
    const absent = await runCheck(dvcRemoteCheck, { env: env({ MLOPS_DVC_REMOTE_READ_ONLY: "true" }) });
    expect(absent.status).toBe("warn");
    expect(absent.fix).toContain("dvc push");

    await new Storage({ apiEndpoint: gcs!.endpoint }).bucket(gcs!.bucket).file(object).save("a,b\n1,2\n");
    nockDefaultBranch({ dvcConfig: DVC_CONFIG(remote), dvcLock: DVC_LOCK });
    const present = await runCheck(dvcRemoteCheck, { env: env({ MLOPS_DVC_REMOTE_READ_ONLY: "true" }) });
    expect(present.status).toBe("ok");
    expect(present.found).toContain("read `data/train.csv`");
    expect(present.tried).toContain("never writes there");
  });

  it("is not applicable without a DVC project on the default branch", async () => {
    nockDefaultBranch({});
    expect((await runCheck(dvcRemoteCheck, { env: env() })).status).toBe("skip");
  });
});
