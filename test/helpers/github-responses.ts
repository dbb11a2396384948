import { githubExample } from "./contract/github-contract.js";
import { OWNER, REPO } from "./payloads.js";

/**
 * What GitHub answers, for the fakes: GitHub's own examples from its OpenAPI description, with
 * the few fields a test cares about set. The contract hook checks each against its schema.
 */

const HTML = "https://github.com";
const API_URL = "https://api.github.com";

/** The app's own login: comments the bot writes carry it (`<slug>[bot]`). */
export const APP_SLUG = "mlops-bot";
export const APP_LOGIN = `${APP_SLUG}[bot]`;

/** `GET /app`: the app the bot runs as (its slug gives the login its comments carry). */
export function appResponse(slug = APP_SLUG) {
  const app = githubExample("integration");
  return { ...app, id: 123, slug, name: slug };
}

/** `POST /app/installations/{id}/access_tokens`. */
export function installationToken(token = "ghs_test_installation_token") {
  return { ...githubExample("installation-token"), token, expires_at: "2099-01-01T00:00:00Z", repositories: undefined, repository_selection: "all" };
}

function user(login: string, type: "User" | "Bot" = login.endsWith("[bot]") ? "Bot" : "User"): Record<string, unknown> {
  const base = githubExample("issue-comment").user as Record<string, unknown>;
  return { ...base, login, type, url: `${API_URL}/users/${encodeURIComponent(login)}`, html_url: `${HTML}/${encodeURIComponent(login)}` };
}

/** An issue comment (`POST`/`PATCH` answers, list items). A comment by the app by default. */
export function issueComment(params: { id: number; body?: string; login?: string; type?: "User" | "Bot"; issue?: number }) {
  const issue = params.issue ?? 1;
  return {
    ...githubExample("issue-comment"),
    id: params.id,
    body: params.body ?? "",
    user: user(params.login ?? APP_LOGIN, params.type),
    url: `${API_URL}/repos/${OWNER}/${REPO}/issues/comments/${params.id}`,
    html_url: `${HTML}/${OWNER}/${REPO}/issues/${issue}#issuecomment-${params.id}`,
    issue_url: `${API_URL}/repos/${OWNER}/${REPO}/issues/${issue}`,
  };
}

/** A reaction (`POST .../reactions`). */
export function reaction(content = "eyes") {
  return { ...githubExample("reaction"), content };
}

/** A check run (`POST`/`PATCH .../check-runs`). */
export function checkRun(params: { id: number; name?: string; headSha?: string; externalId?: string }) {
  const run = githubExample("check-run");
  return {
    ...run,
    id: params.id,
    name: params.name ?? "mlops-bot/train",
    head_sha: params.headSha ?? run.head_sha,
    external_id: params.externalId ?? "",
    url: `${API_URL}/repos/${OWNER}/${REPO}/check-runs/${params.id}`,
    html_url: `${HTML}/${OWNER}/${REPO}/runs/${params.id}`,
  };
}

/** `GET .../collaborators/{user}/permission`: `role` as GitHub names it, with the legacy level. */
export function permission(login: string, role: string) {
  const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  const example = githubExample("repository-collaborator-permission-response-if-user-has-admin-permissions");
  return { ...example, permission: legacy, role_name: role, user: { ...example.user, login, role_name: role } };
}

/** `GET .../pulls/{n}`: a PR of our repository at `head` on `base` (`main`); `fork` moves the head. */
export function pullRequest(params: { number?: number; head: string; base: string; fork?: boolean; state?: "open" | "closed"; author?: string }) {
  const pr = githubExample("pull-request");
  const number = params.number ?? 1;
  const headRepo = params.fork ? `contributor/${REPO}` : `${OWNER}/${REPO}`;
  return {
    ...pr,
    number,
    state: params.state ?? "open",
    html_url: `${HTML}/${OWNER}/${REPO}/pull/${number}`,
    user: user(params.author ?? "contributor"),
    requested_teams: [],
    head: { ...pr.head, sha: params.head, ref: `feature-${number}`, repo: { ...pr.head.repo, full_name: headRepo, fork: Boolean(params.fork) } },
    base: { ...pr.base, sha: params.base, ref: "main", repo: { ...pr.base.repo, full_name: `${OWNER}/${REPO}`, html_url: `${HTML}/${OWNER}/${REPO}` } },
  };
}

/** `GET .../issues/{n}`: an issue with its checklist body, state and labels. */
export function issue(params: {
  number?: number;
  body: string | null;
  state?: "open" | "closed";
  stateReason?: string | null;
  labels?: readonly string[];
  pullRequest?: boolean;
}) {
  const example = githubExample("issue");
  const number = params.number ?? 12;
  const labelShape = example.labels[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {
    ...example,
    number,
    body: params.body,
    state: params.state ?? "open",
    state_reason: params.stateReason ?? null,
    labels: (params.labels ?? ["backlog"]).map((name, i): Record<string, unknown> => ({ ...labelShape, id: i + 1, name, url: `${API_URL}/repos/${OWNER}/${REPO}/labels/${name}` })),
    html_url: `${HTML}/${OWNER}/${REPO}/issues/${number}`,
  };
  if (!params.pullRequest) delete out.pull_request;
  return out;
}

/** An error body as GitHub sends it (`basic-error`). */
export function githubError(status: number, message = status === 404 ? "Not Found" : "Error") {
  return { message, documentation_url: "https://docs.github.com/rest", status: String(status) };
}

/** `GET /app` with the permissions and events of `app.yml` (or others). */
export function appWithGrants(params: { permissions?: Record<string, string>; events?: string[] } = {}) {
  return {
    ...appResponse(),
    html_url: `${HTML}/apps/${APP_SLUG}`,
    permissions: params.permissions ?? { checks: "write", contents: "read", issues: "write", pull_requests: "write", metadata: "read" },
    events: params.events ?? ["check_run", "issue_comment", "issues", "pull_request", "push"],
  };
}

/** `GET /repos/{owner}/{repo}/installation`: our installation, with the permissions of `app.yml` (or others). */
export function repoInstallation(params: { id: number; permissions?: Record<string, string>; events?: string[]; suspended?: boolean }) {
  const example = githubExample("installation");
  return {
    ...example,
    id: params.id,
    account: { ...example.account, login: OWNER, type: "User" },
    target_type: "User",
    html_url: `${HTML}/settings/installations/${params.id}`,
    permissions: params.permissions ?? { checks: "write", contents: "read", issues: "write", pull_requests: "write", metadata: "read" },
    events: params.events ?? ["check_run", "issue_comment", "issues", "pull_request", "push"],
    suspended_at: params.suspended ? "2026-11-30T10:00:00Z" : null,
    suspended_by: null,
  };
}

/** `GET /app/hook/config`. */
export function hookConfig(url: string) {
  return { ...githubExample("webhook-config"), url };
}

/** One item of `GET /app/hook/deliveries` (newest first in the list). */
export function hookDeliveryItem(params: { id: number; statusCode: number; event?: string; at?: string }) {
  const item = githubExample<Array<Record<string, unknown>>>("hook-delivery-items")[0]!;
  return {
    ...item,
    id: params.id,
    status_code: params.statusCode,
    status: params.statusCode >= 200 && params.statusCode < 300 ? "OK" : `Invalid HTTP Response: ${params.statusCode}`,
    event: params.event ?? "issue_comment",
    action: "created",
    delivered_at: params.at ?? "2026-12-01T09:00:00Z",
  };
}

/** `GET /app/hook/deliveries/{id}`: the request GitHub sent (payload and signature header) and the bot's answer. */
export function hookDelivery(params: { id: number; statusCode: number; payload: Record<string, unknown>; signature: string | undefined; responseBody?: string }) {
  const detail = githubExample("hook-delivery");
  const headers: Record<string, string> = { ...detail.request.headers };
  delete headers["X-Hub-Signature"];
  if (params.signature) headers["X-Hub-Signature-256"] = params.signature;
  else delete headers["X-Hub-Signature-256"];
  return {
    ...detail,
    ...hookDeliveryItem({ id: params.id, statusCode: params.statusCode }),
    url: "https://bot.example.com/api/github/webhooks",
    request: { headers, payload: params.payload },
    response: { headers: { "Content-Type": "text/plain" }, payload: params.responseBody ?? "" },
  };
}
