import { findMissingGrants } from "../../core/doctor/app-manifest.js";
import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import { formatProblem } from "../../core/problem.js";
import type { DoctorCheck } from "../doctor-check.js";
import { appSettingsUrl, NO_APP_CREDENTIALS } from "./github-settings-url.js";

const TRIED = "Asked GitHub for the App (`GET /app`) and compared its permissions and events with `app.yml`.";

/** The App's permissions and webhook events cover what `app.yml` asks for. */
export const githubAppCheck: DoctorCheck = {
  id: "github-app",
  title: "GitHub App permissions and events",
  async run(ctx) {
    if (!ctx.github) return skipped(TRIED, NO_APP_CREDENTIALS);
    if (!ctx.manifest.ok) return failed(TRIED, `app.yml cannot be read: ${ctx.manifest.error.map(formatProblem).join("; ")}`, "Restore app.yml from the release you run.");
    const app = await ctx.facts.app();
    const missing = findMissingGrants(ctx.manifest.value, app);
    if (!missing.permissions.length && !missing.events.length) {
      return passed(TRIED, `${app.slug} has every permission (${Object.keys(ctx.manifest.value.permissions).join(", ")}) and event (${ctx.manifest.value.events.join(", ")}) that app.yml asks for.`);
    }
    const lacks = [
      ...missing.permissions.map((p) => `\`${p.name}: ${p.wanted}\` (has ${p.has})`),
      ...missing.events.map((e) => `the \`${e}\` event`),
    ];
    return failed(
      TRIED,
      `${app.slug} lacks ${lacks.join(", ")}.`,
      `Under "Permissions & events" at ${appSettingsUrl(app, "permissions")}, grant ${[...missing.permissions.map((p) => `\`${p.name}: ${p.wanted}\``), ...missing.events.map((e) => `the \`${e}\` event`)].join(", ")} and save; then every installation's owner accepts the new permissions (GitHub e-mails them a link).`,
    );
  },
};
