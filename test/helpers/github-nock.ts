import nock from "nock";
import { INSTALLATION_ID, OWNER, REPO } from "./payloads.js";

export const API = "https://api.github.com";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/** The installation token exchange every installation Octokit does first. */
export function nockInstallationToken(times = 1) {
  return nock(API)
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .times(times)
    .reply(201, { token: "ghs_test_installation_token", expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write" } });
}

/** The repo config on the default branch (no `ref`): `undefined` answers 404 (no file). */
export function nockRepoConfig(text: string | undefined) {
  const scope = nock(API).get(`${REPO_PATH}/contents/.github%2Fmlops-bot.yml`);
  return text === undefined ? scope.reply(404, { message: "Not Found" }) : scope.reply(200, text);
}

export function nockPermission(user: string, role: string) {
  const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  return nock(API)
    .get(`${REPO_PATH}/collaborators/${user}/permission`)
    .reply(200, { permission: legacy, role_name: role, user: { login: user } });
}
