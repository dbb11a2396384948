import type { Probot } from "probot";
import type { CodeHost } from "../../ports/code-host.js";
import { appLoginOf } from "./app-login.js";
import { GitHubCodeHost } from "./github-code-host.js";

/**
 * A code host for any repository the App is installed on, found by name (`GET
 * /repos/{owner}/{repo}/installation` as the App), for work no webhook started: the weekly
 * cost summary.
 */
export function repositoryHost(app: Probot): (repo: { owner: string; name: string }) => Promise<CodeHost> {
  const appLogin = appLoginOf(app);
  return async (repo) => {
    const asApp = await app.auth();
    const { data } = await asApp.request("GET /repos/{owner}/{repo}/installation", { owner: repo.owner, repo: repo.name });
    return new GitHubCodeHost(await app.auth(data.id), repo.owner, repo.name, appLogin);
  };
}
