import nock from "nock";
import * as gh from "./github-responses.js";
import { INSTALLATION_ID, OWNER, REPO } from "./payloads.js";

export const API = "https://api.github.com";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/** The installation token exchange every installation Octokit does first. */
export function nockInstallationToken(times = 1) {
  return nock(API)
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .times(times)
    .reply(201, gh.installationToken());
}

/** The repo config on the default branch (no `ref`) as the contents API gives it to `/doctor`'s checks (the bot itself reads it with git): `undefined` answers 404 (no file). */
export function nockRepoConfig(text: string | undefined) {
  const scope = nock(API).get(`${REPO_PATH}/contents/.github%2Fmlops-bot.yml`);
  return text === undefined ? scope.reply(404, gh.githubError(404)) : scope.reply(200, text);
}

export function nockPermission(user: string, role: string) {
  return nock(API).get(`${REPO_PATH}/collaborators/${user}/permission`).reply(200, gh.permission(user, role));
}
