import examples from "@octokit/webhooks-examples";

type Example = Record<string, any>;

function example(name: string, action: string): Example {
  const group = (examples as unknown as Array<{ name: string; examples: Example[] }>).find((e) => e.name === name);
  const found = group?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${name}.${action} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

export const INSTALLATION_ID = 2;
export const OWNER = "Codertocat";
export const REPO = "Hello-World";

/**
 * A real `issue_comment.created` payload (from @octokit/webhooks-examples), turned into a comment
 * on pull request #`pr` with our installation.
 */
export function prCommentPayload(params: { body: string; author?: string; userType?: "User" | "Bot"; commentId?: number; pr?: number }) {
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
