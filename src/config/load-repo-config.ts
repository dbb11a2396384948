import type { Problem } from "../core/problem.js";
import type { Result } from "../core/result.js";
import type { CodeHost } from "../ports/code-host.js";
import { parseRepoConfig } from "./parse-repo-config.js";
import { REPO_CONFIG_PATH, type RepoConfig } from "./repo-config-schema.js";

/**
 * The repository's config, read from the default branch only, so a pull request can never
 * change what the bot runs or who may run it. One API call.
 */
export async function loadRepoConfig(host: Pick<CodeHost, "readDefaultBranchFile">): Promise<Result<RepoConfig, Problem[]>> {
  return parseRepoConfig(await host.readDefaultBranchFile(REPO_CONFIG_PATH), REPO_CONFIG_PATH);
}
