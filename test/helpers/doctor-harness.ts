import type { CheckResult } from "../../src/core/doctor/check-outcome.js";
import type { DoctorCheck } from "../../src/doctor/doctor-check.js";
import type { GitHubAccess, RepoRef } from "../../src/doctor/doctor-context.js";
import { googleApiWithToken, type GoogleApi } from "../../src/doctor/google-api.js";
import { openDoctorContext } from "../../src/doctor/open-doctor-context.js";
import { runDoctor } from "../../src/doctor/run-doctor.js";
import type { ArtifactStore } from "../../src/ports/artifact-store.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { OWNER, REPO } from "./payloads.js";
import { tempDir } from "./temp-dir.js";
import { testPrivateKey, testProbot } from "./test-probot.js";

export const TEST_REPO: RepoRef = { owner: OWNER, name: REPO };
export const WEBHOOK_SECRET = "test-secret";

/** The App's credentials of the test Probot (JWTs signed with the test key; nock answers GitHub). */
export function testGitHubAccess(): GitHubAccess {
  const probot = testProbot();
  return { app: () => probot.auth(), installation: (id) => probot.auth(id) };
}

/** Google APIs with a static token (nock answers them), the service account `email` as the bot's credentials. */
export function testGoogleApi(email?: string): GoogleApi {
  return googleApiWithToken(
    () => Promise.resolve("ya29.test-token"),
    () => Promise.resolve(email),
  );
}

/** A bot environment that passes the settings check: App credentials, a data folder of its own. */
export function doctorEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, MLOPS_DATA_DIR: tempDir(), PATH: process.env.PATH, ...extra };
}

/** Runs the given checks on a context made from `env`, as the CLI and /doctor do; closes what it opened. */
export async function runChecks(params: {
  checks: readonly DoctorCheck[];
  env?: NodeJS.ProcessEnv;
  repo?: RepoRef | null;
  github?: GitHubAccess | null;
  google?: GoogleApi;
  cloudRunClientOptions?: Record<string, unknown>;
  bwrapCandidates?: readonly string[];
  jobStore?: JobStore;
  artifacts?: ArtifactStore;
}): Promise<CheckResult[]> {
  const { ctx, close } = openDoctorContext({
    env: params.env ?? doctorEnv(),
    repo: params.repo === null ? undefined : (params.repo ?? TEST_REPO),
    github: params.github === null ? undefined : (params.github ?? testGitHubAccess()),
    google: params.google ?? testGoogleApi(),
    cloudRunClientOptions: params.cloudRunClientOptions,
    bwrapCandidates: params.bwrapCandidates,
    ...(params.jobStore ? { jobStore: params.jobStore } : {}),
    ...(params.artifacts ? { artifacts: params.artifacts } : {}),
  });
  try {
    return await runDoctor({ checks: params.checks, ctx });
  } finally {
    await close();
  }
}

/** The one result of a one-check run. */
export async function runCheck(check: DoctorCheck, params: Omit<Parameters<typeof runChecks>[0], "checks"> = {}): Promise<CheckResult> {
  const [result] = await runChecks({ ...params, checks: [check] });
  return result!;
}
