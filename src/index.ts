import type { Probot } from "probot";
import { appLoginOf } from "./adapters/github/app-login.js";
import type { AppDeps } from "./app-deps.js";
import { handleCheckRun } from "./handlers/handle-check-run.js";
import { handleIssueComment } from "./handlers/handle-issue-comment.js";
import { handleIssues } from "./handlers/handle-issues.js";
import { handlePullRequest } from "./handlers/handle-pull-request.js";
import { handlePullRequestClosed } from "./handlers/handle-pull-request-closed.js";
import { handlePush } from "./handlers/handle-push.js";

/** The Probot app: registers one handler per event. No decisions here. */
export function createApp(appDeps: AppDeps) {
  return (app: Probot): void => {
    const deps = { ...appDeps, appLogin: appLoginOf(app) };
    app.on("issue_comment.created", handleIssueComment(deps));
    app.on(["check_run.rerequested", "check_run.requested_action"], handleCheckRun(deps));
    app.on(["issues.opened", "issues.edited", "issues.labeled"], handleIssues(deps));
    app.on("pull_request.closed", handlePullRequestClosed(deps));
    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], handlePullRequest(deps));
    app.on("push", handlePush(deps));
  };
}
