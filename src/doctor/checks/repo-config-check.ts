import { REPO_CONFIG_PATH } from "../../config/repo-config-schema.js";
import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import { formatProblem } from "../../core/problem.js";
import type { DoctorCheck } from "../doctor-check.js";
import { NO_APP_CREDENTIALS } from "./github-settings-url.js";

/** The repository's `.github/mlops-bot.yml` on its default branch (the only one the bot reads) is valid. */
export const repoConfigCheck: DoctorCheck = {
  id: "repo-config",
  title: "Repository config",
  async run(ctx) {
    if (!ctx.repo) return skipped(`Would read ${REPO_CONFIG_PATH} from a repository's default branch.`, "No repository given (`--repo OWNER/NAME`).");
    const tried = `Read ${REPO_CONFIG_PATH} from the default branch of ${ctx.repo.owner}/${ctx.repo.name} and validated it.`;
    if (!ctx.github) return skipped(tried, NO_APP_CREDENTIALS);
    const config = await ctx.facts.repoConfig();
    if (!config) return skipped(tried, "The App is not installed on the repository (see the installation check).");
    if (!config.ok) {
      return failed(tried, config.error.map(formatProblem).join("\n"), `Fix ${REPO_CONFIG_PATH} on the default branch as the messages say (docs/configuration.md); until then every command answers with these problems.`);
    }
    const present = (await ctx.facts.defaultBranchFile(REPO_CONFIG_PATH)) !== undefined;
    const c = config.value;
    return passed(tried, `${present ? "Valid" : "No file: every default applies"}. Runner: ${c.runner}; pipeline: \`${c.pipeline.train.join(" ")}\` in \`${c.pipeline.workdir}/\`; registry: ${c.registry ?? "none"}.`);
  },
};
