import { parseArgs } from "node:util";
import { createProbot } from "probot";
import { knownSecretValues } from "../../adapters/secrets/secret-values.js";
import { countFailures } from "../../core/doctor/check-outcome.js";
import type { GitHubAccess, RepoRef } from "../../doctor/doctor-context.js";
import { doctorChecks } from "../../doctor/doctor-checks.js";
import { adcGoogleApi, type GoogleApi } from "../../doctor/google-api.js";
import { openDoctorContext } from "../../doctor/open-doctor-context.js";
import { runDoctor } from "../../doctor/run-doctor.js";
import { renderDoctorText } from "../../report/doctor/render-doctor-text.js";
import type { CliCommand } from "../cli-command.js";

const USAGE = `Usage: mlops-bot doctor [--repo OWNER/NAME] [--only ID,ID] [--json]

Checks a deployment of the bot, from the bot's environment (run it where the bot runs, with the
same variables): its settings, the GitHub App (permissions and events against app.yml, the
installation, webhook deliveries), the job store and artifact store (a canary written, read back
and deleted), MLflow, the runners (sandbox, Docker engine, Cloud Run job), git and the pipeline's
tools, service account keys and the age of the App's private key. With --repo, also that
repository's config on its default branch, its DVC remote and its image registry.

Each check says ✅ passed, ❌ failed, ⚠️ warning or ➖ not applicable, what it tried, and the fix.
The exit code is the number of failed checks (0: all good).

  --repo OWNER/NAME   the repository to check as well (its installation, config, DVC remote, registry)
  --only ID,ID        run only these checks (ids: ${doctorChecks.map((c) => c.id).join(", ")})
  --json              print the results as JSON`;

export interface DoctorCommandDeps {
  /** Options for Probot (tests: an Octokit without retries, a silent logger). */
  readonly probotOverrides?: Record<string, unknown>;
  readonly google?: GoogleApi;
  readonly cloudRunClientOptions?: Record<string, unknown>;
}

/** `mlops-bot doctor`: every check of the deployment; the exit code counts the failures. */
export function createDoctorCommand(deps: DoctorCommandDeps = {}): CliCommand {
  return {
    name: "doctor",
    summary: "Check a deployment: settings, GitHub App, stores, MLflow, registry, runners, keys (exit code = failed checks)",
    usage: USAGE,
    async run(args, io) {
      const options = parseDoctorArgs(args);
      if (typeof options === "string") {
        io.err(`mlops-bot doctor: ${options}\n\n${USAGE}\n`);
        return 2;
      }
      knownSecretValues.addFromEnv(io.env);
      const { ctx, close } = openDoctorContext({
        env: io.env,
        cwd: io.cwd,
        repo: options.repo,
        github: githubAccess(io.env, deps.probotOverrides),
        google: deps.google ?? adcGoogleApi(),
        cloudRunClientOptions: deps.cloudRunClientOptions,
      });
      try {
        const checks = options.only ? doctorChecks.filter((c) => options.only!.includes(c.id)) : doctorChecks;
        const results = await runDoctor({ checks, ctx });
        const failures = countFailures(results);
        io.out(options.json ? `${JSON.stringify({ failed: failures, results }, null, 2)}\n` : renderDoctorText(results));
        return failures;
      } finally {
        await close();
      }
    },
  };
}

export const doctorCommand = createDoctorCommand();

/** The App's credentials from the environment, as Probot reads them (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST). */
function githubAccess(env: NodeJS.ProcessEnv, overrides: Record<string, unknown> | undefined): GitHubAccess | undefined {
  if (!env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) return undefined;
  const probot = createProbot({ env: { ...env, LOG_LEVEL: "fatal" }, overrides: overrides ?? {} });
  return { app: () => probot.auth(), installation: (id) => probot.auth(id) };
}

function parseDoctorArgs(args: readonly string[]): { repo: RepoRef | undefined; only: string[] | undefined; json: boolean } | string {
  let values: { repo?: string; only?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args: [...args], options: { repo: { type: "string" }, only: { type: "string" }, json: { type: "boolean" } } }));
  } catch (e) {
    return (e as Error).message.split("\n")[0]!;
  }
  let repo: RepoRef | undefined;
  if (values.repo !== undefined) {
    const [owner, name, ...rest] = values.repo.split("/");
    if (!owner || !name || rest.length) return `--repo needs OWNER/NAME, got ${JSON.stringify(values.repo)}`;
    repo = { owner, name };
  }
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.find((id) => !doctorChecks.some((c) => c.id === id));
  if (unknown !== undefined) return `--only ${JSON.stringify(unknown)} is not a check: use ${doctorChecks.map((c) => c.id).join(", ")}`;
  return { repo, only, json: values.json === true };
}
