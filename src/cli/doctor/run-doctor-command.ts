import { createProbot } from "probot";
import { knownSecretValues } from "../../adapters/secrets/secret-values.js";
import { countFailures } from "../../core/doctor/check-outcome.js";
import type { GitHubAccess } from "../../doctor/doctor-context.js";
import { doctorChecks } from "../../doctor/doctor-checks.js";
import { adcGoogleApi, type GoogleApi } from "../../doctor/google-api.js";
import { openDoctorContext } from "../../doctor/open-doctor-context.js";
import { runDoctor } from "../../doctor/run-doctor.js";
import { renderDoctorText } from "../../report/doctor/render-doctor-text.js";
import type { CliIo } from "../cli-command.js";
import type { DoctorCommandDeps, DoctorInput } from "../commands/doctor.js";

/** Runs the chosen checks against the environment's deployment and prints them; returns the number that failed. */
export async function runDoctorCommand(input: DoctorInput, io: CliIo, deps: DoctorCommandDeps): Promise<number> {
  knownSecretValues.addFromEnv(io.env);
  const { ctx, close } = openDoctorContext({
    env: io.env,
    cwd: io.cwd,
    repo: input.repo,
    github: githubAccess(io.env, deps.probotOverrides),
    google: (deps.google as GoogleApi | undefined) ?? adcGoogleApi(),
    cloudRunClientOptions: deps.cloudRunClientOptions,
  });
  try {
    const checks = input.only ? doctorChecks.filter((c) => input.only!.includes(c.id)) : doctorChecks;
    const results = await runDoctor({ checks, ctx });
    const failures = countFailures(results);
    io.out(input.json ? `${JSON.stringify({ failed: failures, results }, null, 2)}\n` : renderDoctorText(results));
    return failures;
  } finally {
    await close();
  }
}

/** The App's credentials from the environment, as Probot reads them (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST). */
function githubAccess(env: NodeJS.ProcessEnv, overrides: Record<string, unknown> | undefined): GitHubAccess | undefined {
  if (!env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) return undefined;
  const probot = createProbot({ env: { ...env, LOG_LEVEL: "fatal" }, overrides: overrides ?? {} });
  return { app: () => probot.auth(), installation: (id) => probot.auth(id) };
}
