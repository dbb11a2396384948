import examples from "@octokit/webhooks-examples";

type Example = Record<string, any>;

function example(name: string, action: string | undefined): Example {
  const group = (examples as unknown as Array<{ name: string; examples: Example[] }>).find((e) => e.name === name);
  const found = group?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${name}.${String(action)} example in @octokit/webhooks-examples`);
  const payload = structuredClone(found);
  // The examples' repository has `master`; the tests' git origins (where the bot reads its config) have `main`.
  if (payload.repository) payload.repository.default_branch = "main";
  return payload;
}

export const INSTALLATION_ID = 2;
export const OWNER = "Codertocat";
export const REPO = "Hello-World";

/**
 * A real `issue_comment.created` payload (from @octokit/webhooks-examples), turned into a comment
 * on pull request #`pr` with our installation.
 */
export function prCommentPayload(params: { body: string; author?: string; userType?: "User" | "Bot"; commentId?: number; pr?: number; createdAt?: Date }) {
  const payload = example("issue_comment", "created");
  const pr = params.pr ?? 1;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  payload.issue.number = pr;
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${pr}`,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr}`,
    diff_url: `https://github.com/${OWNER}/${REPO}/pull/${pr}.diff`,
    patch_url: `https://github.com/${OWNER}/${REPO}/pull/${pr}.patch`,
  };
  payload.comment.body = params.body;
  payload.comment.id = params.commentId ?? payload.comment.id;
  payload.comment.created_at = (params.createdAt ?? new Date()).toISOString(); // written now, unless a test says when
  payload.comment.user.login = params.author ?? "octocat";
  payload.comment.user.type = params.userType ?? "User";
  return payload;
}

/** The same comment on a plain issue (not a PR). */
export function issueCommentPayload(body: string) {
  const payload = prCommentPayload({ body });
  delete payload.issue.pull_request;
  return payload;
}

/** A real `check_run` payload for our train check with `external_id` = a job id. */
export function checkRunPayload(params: { action: "rerequested" | "requested_action"; jobId: string; sender?: string; identifier?: string; name?: string }) {
  const payload = example("check_run", params.action);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  payload.check_run.name = params.name ?? "mlops-bot/train";
  payload.check_run.external_id = params.jobId;
  payload.repository.owner.login = OWNER;
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.sender.login = params.sender ?? "octocat";
  if (params.action === "requested_action") payload.requested_action = { identifier: params.identifier ?? "train-again" };
  return payload;
}

/**
 * A real `issues` payload (opened / edited / labeled) for issue #`number` of our repository, with
 * our installation: `labels` by name, `previousBody` becomes `changes.body.from` of an edit,
 * `addedLabel` the `label` of a labeled event.
 */
export function issuesPayload(params: {
  action: "opened" | "edited" | "labeled";
  body: string | null;
  number?: number;
  labels?: readonly string[];
  state?: "open" | "closed";
  stateReason?: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  previousBody?: string;
  addedLabel?: string;
  sender?: string;
  senderType?: "User" | "Bot";
  updatedAt?: string;
}) {
  const payload = example("issues", params.action);
  const label = (name: string): Example => ({ ...(payload.issue.labels?.[0] as Example), name, url: `https://api.github.com/repos/${OWNER}/${REPO}/labels/${name}` });
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  payload.issue.number = params.number ?? 12;
  payload.issue.body = params.body;
  payload.issue.labels = (params.labels ?? ["backlog"]).map(label);
  payload.issue.state = params.state ?? "open";
  payload.issue.state_reason = params.stateReason ?? null;
  payload.issue.updated_at = params.updatedAt ?? "2024-05-01T10:00:00Z";
  payload.sender.login = params.sender ?? (params.senderType === "Bot" ? "mlops-bot[bot]" : "octocat");
  payload.sender.type = params.senderType ?? "User";
  if (params.action === "edited") payload.changes = params.previousBody === undefined ? { title: { from: "Old title" } } : { body: { from: params.previousBody } };
  if (params.action === "labeled") payload.label = label(params.addedLabel ?? "backlog");
  return payload;
}

/** A real `pull_request.closed` payload for PR #`number` of our repository, merged or not. */
export function pullRequestClosedPayload(params: { body: string | null; merged: boolean; number?: number }) {
  const payload = example("pull_request", "closed");
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  payload.number = params.number ?? 7;
  payload.pull_request.number = payload.number;
  payload.pull_request.body = params.body;
  payload.pull_request.merged = params.merged;
  payload.pull_request.state = "closed";
  return payload;
}

/**
 * A real `pull_request` payload (opened / synchronize / reopened) for PR #`number` of our
 * repository, with our installation, at `head` on top of `base` (`main`). `fork` makes the head
 * repository `contributor/<repo>`.
 */
export function pullRequestEventPayload(params: {
  action: "opened" | "synchronize" | "reopened";
  head: string;
  base: string;
  number?: number;
  fork?: boolean;
  state?: "open" | "closed";
  sender?: string;
  /** GitHub's time of the change (`pull_request.updated_at`); now unless a test says when. */
  updatedAt?: Date;
}) {
  const payload = example("pull_request", params.action);
  const pr = payload.pull_request;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  payload.number = params.number ?? 1;
  pr.number = payload.number;
  pr.state = params.state ?? "open";
  pr.head.sha = params.head;
  pr.updated_at = (params.updatedAt ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z"); // GitHub's times are whole seconds
  pr.head.ref = `pr-${payload.number}`;
  pr.base.sha = params.base;
  pr.base.ref = "main";
  pr.base.repo.full_name = `${OWNER}/${REPO}`;
  pr.head.repo.full_name = params.fork ? `contributor/${REPO}` : `${OWNER}/${REPO}`;
  pr.head.repo.fork = Boolean(params.fork);
  payload.repository.owner.login = OWNER;
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.sender.login = params.sender ?? "contributor";
  if (params.action === "synchronize") payload.after = params.head;
  return payload;
}

/** A real `push` payload (from @octokit/webhooks-examples) to `branch` at `sha`, with our installation. */
export function pushPayload(params: { branch: string; sha: string; defaultBranch?: string; deleted?: boolean }) {
  const payload = example("push", undefined);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  payload.ref = `refs/heads/${params.branch}`;
  payload.after = params.sha;
  payload.deleted = params.deleted ?? false;
  payload.repository.default_branch = params.defaultBranch ?? "main";
  payload.repository.owner.login = OWNER;
  payload.repository.owner.name = OWNER;
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  return payload;
}
