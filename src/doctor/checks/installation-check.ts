import { findMissingGrants } from "../../core/doctor/app-manifest.js";
import { failed, passed, skipped, type CheckOutcome } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { NO_APP_CREDENTIALS } from "./github-settings-url.js";

/** The App is installed on the repository (or, without one, somewhere), not suspended, with every permission and event the App has accepted by the owner. */
export const installationCheck: DoctorCheck = {
  id: "github-installation",
  title: "GitHub App installation",
  async run(ctx) {
    if (!ctx.github) return skipped("Looked for the App's installations.", NO_APP_CREDENTIALS);
    if (!ctx.repo) return anyInstallation(ctx);
    const repo = `${ctx.repo.owner}/${ctx.repo.name}`;
    const tried = `Asked GitHub for the App's installation on ${repo} (\`GET /repos/${repo}/installation\`).`;
    const app = await ctx.facts.app();
    const found = await ctx.facts.installation();
    const installUrl = `${new URL(app.htmlUrl).origin}/apps/${app.slug}/installations/new`;
    if (!found) {
      return failed(tried, `${app.slug} is not installed on ${repo}, or its installation does not include this repository.`, `Install it on ${repo} at ${installUrl} (or add the repository to the installation's selected repositories).`);
    }
    const configure = found.htmlUrl;
    if (found.suspended) return failed(tried, `Installation ${found.id} on ${found.account} is suspended: GitHub sends it no events.`, `An owner of ${found.account} unsuspends it at ${configure}.`);
    // What the App has been given (its own settings; the App check compares those with app.yml) and the installation has not accepted yet.
    const missing = findMissingGrants({ permissions: definedGrants(app.permissions), events: app.events }, found);
    if (missing.permissions.length || missing.events.length) {
      const lacks = [...missing.permissions.map((p) => `\`${p.name}: ${p.wanted}\` (has ${p.has})`), ...missing.events.map((e) => `the \`${e}\` event`)];
      return failed(tried, `Installation ${found.id} on ${found.account} lacks ${lacks.join(", ")}: its owner has not accepted the App's current permissions.`, `An owner of ${found.account} reviews and accepts the requested permissions at ${configure}.`);
    }
    return passed(tried, `Installation ${found.id} on ${found.account} (${found.repositorySelection === "all" ? "all repositories" : "selected repositories"}) includes ${repo}, with every permission and event the App has.`);
  },
};

function definedGrants(permissions: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(permissions).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function anyInstallation(ctx: DoctorContext): Promise<CheckOutcome> {
  const tried = "Listed the App's installations (`GET /app/installations`); give a repository (`--repo OWNER/NAME`) to check its own.";
  const octokit = await ctx.github!.app();
  const { data } = await octokit.request("GET /app/installations", { per_page: 100 });
  const app = await ctx.facts.app();
  if (data.length === 0) return failed(tried, `${app.slug} is installed nowhere: it receives no events.`, `Install it at ${new URL(app.htmlUrl).origin}/apps/${app.slug}/installations/new.`);
  const suspended = data.filter((i) => i.suspended_at).map((i) => (i.account as { login?: string } | null)?.login ?? String(i.id));
  const accounts = data.map((i) => (i.account as { login?: string } | null)?.login ?? String(i.id));
  const found = `Installed on ${data.length === 100 ? "100 or more" : data.length} account(s): ${accounts.slice(0, 10).join(", ")}${accounts.length > 10 ? ", ..." : ""}.`;
  if (suspended.length) return failed(tried, `${found} Suspended on ${suspended.join(", ")}.`, "An owner of each of those accounts unsuspends the installation in their settings (Integrations → GitHub Apps).");
  return passed(tried, found);
}
