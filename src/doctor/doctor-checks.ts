import { appKeyAgeCheck } from "./checks/app-key-age-check.js";
import { artifactStoreCheck } from "./checks/artifact-store-check.js";
import { cloudRunCheck } from "./checks/cloud-run-check.js";
import { costSummaryCheck } from "./checks/cost-summary-check.js";
import { deployCheck } from "./checks/deploy-check.js";
import { dockerCheck } from "./checks/docker-check.js";
import { dvcRemoteCheck } from "./checks/dvc-remote-check.js";
import { githubAppCheck } from "./checks/github-app-check.js";
import { installationCheck } from "./checks/installation-check.js";
import { jobStoreCheck } from "./checks/job-store-check.js";
import { jobToolsCheck } from "./checks/job-tools-check.js";
import { mlflowCheck } from "./checks/mlflow-check.js";
import { registryCheck } from "./checks/registry-check.js";
import { repoConfigCheck } from "./checks/repo-config-check.js";
import { sandboxCheck } from "./checks/sandbox-check.js";
import { serverSettingsCheck } from "./checks/server-settings-check.js";
import { serviceAccountKeysCheck } from "./checks/service-account-keys-check.js";
import { webhookCheck } from "./checks/webhook-check.js";
import type { DoctorCheck } from "./doctor-check.js";

/** Every check the doctor runs, in the order the report shows them. Add a check by adding its module and one line here. */
export const doctorChecks: readonly DoctorCheck[] = [
  serverSettingsCheck,
  githubAppCheck,
  installationCheck,
  webhookCheck,
  repoConfigCheck,
  jobStoreCheck,
  artifactStoreCheck,
  dvcRemoteCheck,
  mlflowCheck,
  registryCheck,
  sandboxCheck,
  dockerCheck,
  cloudRunCheck,
  deployCheck,
  jobToolsCheck,
  serviceAccountKeysCheck,
  appKeyAgeCheck,
  costSummaryCheck,
];
