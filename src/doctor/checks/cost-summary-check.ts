import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import { NO_APP_CREDENTIALS } from "./github-settings-url.js";

/**
 * The weekly cost summary can be posted: the issue `MLOPS_COST_ISSUE` names exists on a
 * repository the App is installed on, with `issues: write`. Reads only: nothing is posted.
 */
export const costSummaryCheck: DoctorCheck = {
  id: "cost-summary",
  title: "Weekly cost summary",
  async run(ctx) {
    const issue = ctx.server?.costs.summaryIssue;
    if (!issue) return skipped("Looked for `MLOPS_COST_ISSUE`.", "Not set: no weekly cost summary is posted (docs/operations.md, Costs).");
    if (!ctx.github) return skipped("Looked for the summary issue's installation.", NO_APP_CREDENTIALS);
    const repo = `${issue.owner}/${issue.repo}`;
    const tried = `Asked GitHub for the App's installation on ${repo} and, as that installation, for issue #${issue.number} (\`MLOPS_COST_ISSUE\`).`;
    const asApp = await ctx.github.app();
    const installation = await asApp.request("GET /repos/{owner}/{repo}/installation", { owner: issue.owner, repo: issue.repo }).catch((e: { status?: number }) => {
      if (e.status === 404) return undefined;
      throw e;
    });
    if (!installation) return failed(tried, `The App is not installed on ${repo}, so it cannot comment there.`, `Install the App on ${repo}, or point \`MLOPS_COST_ISSUE\` at an issue of a repository it is installed on.`);
    if (installation.data.permissions.issues !== "write") {
      return failed(tried, `The installation on ${repo} has \`issues: ${installation.data.permissions.issues ?? "none"}\`, so it cannot comment.`, `An owner of ${issue.owner} accepts the App's \`issues: write\` permission at ${installation.data.html_url}.`);
    }
    const octokit = await ctx.github.installation(installation.data.id);
    const found = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { owner: issue.owner, repo: issue.repo, issue_number: issue.number }).catch((e: { status?: number }) => {
      if (e.status === 404 || e.status === 410) return undefined;
      throw e;
    });
    if (!found) return failed(tried, `${repo} has no issue #${issue.number} the App can see.`, `Create the issue, or set \`MLOPS_COST_ISSUE\` to an existing one (owner/repo#number).`);
    return passed(tried, `The summary goes to ${repo}#${issue.number} ("${found.data.title.slice(0, 80)}", ${found.data.state}) every Monday.`);
  },
};
