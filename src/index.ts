import type { Probot } from "probot";
import { appLoginOf } from "./adapters/github/app-login.js";
import type { AppDeps } from "./app-deps.js";
import { handleCheckRun } from "./handlers/handle-check-run.js";
import { handleIssueComment } from "./handlers/handle-issue-comment.js";
import { handleIssues } from "./handlers/handle-issues.js";
import { handlePullRequest } from "./handlers/handle-pull-request.js";
import { handlePullRequestClosed } from "./handlers/handle-pull-request-closed.js";
import { handlePush } from "./handlers/handle-push.js";
import { countWebhooks } from "./metrics/count-webhooks.js";

/** The Probot app: registers one handler per event. No decisions here. */
export function createApp(appDeps: AppDeps) {
  return (app: Probot): void => {
    const deps = { ...appDeps, appLogin: appLoginOf(app) };
    appDeps.bindApp?.({ app: () => app.auth(), installation: (id) => app.auth(id) });
    const counted = <C extends { name: string; payload: unknown }>(handler: (context: C) => Promise<void>) => countWebhooks(deps.metrics, handler);
    app.on("issue_comment.created", counted(handleIssueComment(deps)));
    app.on(["check_run.rerequested", "check_run.requested_action"], counted(handleCheckRun(deps)));
    app.on(["issues.opened", "issues.edited", "issues.labeled"], counted(handleIssues(deps)));
    app.on("pull_request.closed", counted(handlePullRequestClosed(deps)));
    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], counted(handlePullRequest(deps)));
    app.on("push", counted(handlePush(deps)));
  };
}
