import { err, ok } from "../../core/result.js";
import type { CliCommand } from "../cli-command.js";
import { defineCommand } from "../define-command.js";

/** The checks' ids in the order they run (src/doctor/doctor-checks.ts; a test keeps the two equal). */
export const DOCTOR_CHECK_IDS = [
  "server-config",
  "github-app",
  "github-installation",
  "github-webhooks",
  "repo-config",
  "job-store",
  "artifact-store",
  "dvc-remote",
  "mlflow",
  "registry",
  "runner-sandbox",
  "runner-docker",
  "runner-cloud-run",
  "deploy",
  "job-tools",
  "service-account-keys",
  "app-key-age",
  "cost-summary",
] as const;

const USAGE = `Usage: mlops-bot doctor [--repo OWNER/NAME] [--only ID,ID] [--json]

Checks a deployment of the bot, from the bot's environment (run it where the bot runs, with the
same variables): its settings, the GitHub App (permissions and events against app.yml, the
installation, webhook deliveries), the job store and artifact store (a canary written, read back
and deleted), MLflow, the runners (sandbox, Docker engine, Cloud Run job), model promotions (the
inference service and its models bucket), git and the pipeline's tools, service account keys and the age of the App's private key. With --repo, also that
repository's config on its default branch, its DVC remote and its image registry.

Each check says ✅ passed, ❌ failed, ⚠️ warning or ➖ not applicable, what it tried, and the fix.
The exit code is the number of failed checks (0: all good).

  --repo OWNER/NAME   the repository to check as well (its installation, config, DVC remote, registry)
  --only ID,ID        run only these checks (ids: ${DOCTOR_CHECK_IDS.join(", ")})
  --json              print the results as JSON`;

export interface DoctorInput {
  readonly repo: { readonly owner: string; readonly name: string } | undefined;
  readonly only: readonly string[] | undefined;
  readonly json: boolean;
}

export interface DoctorCommandDeps {
  /** Options for Probot (tests: an Octokit without retries, a silent logger). */
  readonly probotOverrides?: Record<string, unknown>;
  readonly google?: unknown;
  readonly cloudRunClientOptions?: Record<string, unknown>;
}

/** `mlops-bot doctor`: every check of the deployment; the exit code counts the failures. */
export function createDoctorCommand(deps: DoctorCommandDeps = {}): CliCommand {
  return defineCommand({
    name: "doctor",
    summary: "Check a deployment: settings, GitHub App, stores, MLflow, registry, runners, keys (exit code = failed checks)",
    usage: USAGE,
    options: { repo: { type: "string" }, only: { type: "string" }, json: { type: "boolean" } },
    valueNames: { repo: "OWNER/NAME", only: "check ids (ID,ID)" },
    check({ values }) {
      let repo: DoctorInput["repo"];
      if (values.repo !== undefined) {
        const [owner, name, ...rest] = values.repo.split("/");
        if (!owner || !name || rest.length) return err(`--repo needs OWNER/NAME, got ${JSON.stringify(values.repo)}`);
        repo = { owner, name };
      }
      const only = values.only?.split(",").map((s) => s.trim());
      const unknown = only?.find((id) => !DOCTOR_CHECK_IDS.some((c) => c === id));
      if (unknown !== undefined) return err(`--only ${JSON.stringify(unknown)} is not a check: use ${DOCTOR_CHECK_IDS.join(", ")}`);
      return ok<DoctorInput>({ repo, only, json: values.json === true });
    },
    load: async () => {
      const { runDoctorCommand } = await import("../doctor/run-doctor-command.js");
      return (input, io) => runDoctorCommand(input, io, deps);
    },
  });
}

export const doctorCommand = createDoctorCommand();
