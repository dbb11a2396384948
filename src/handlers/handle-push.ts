import type { Context } from "probot";
import { ConfigError } from "../core/errors.js";
import { errorLogFields } from "../report/render-error.js";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import { loadRepoConfig } from "../config/load-repo-config.js";
import { planImageBuilds } from "../core/images/plan-image-builds.js";
import { enqueueBuild } from "../jobs/enqueue-build.js";
import { enqueuePushTraining } from "../jobs/enqueue-push-training.js";
import type { RunnerRegistry } from "../jobs/runner-registry.js";
import type { JobStore } from "../ports/job-store.js";
import type { SourceProvider } from "../ports/source-provider.js";

/**
 * `push` to the default branch: with `train_on_push: true`, train the new head; with
 * `build_on_push: true` (and a Docker engine), build and push every configured image.
 */
export function handlePush(deps: {
  store: JobStore;
  sources: Pick<SourceProvider, "readDefaultBranchFile">;
  wake: () => void;
  runners: Pick<RunnerRegistry, "missing">;
  dockerAvailable: boolean;
  appLogin: () => Promise<string>;
  jobPageUrl?: ((jobId: string) => string) | undefined;
}) {
  return async (context: Context<"push">): Promise<void> => {
    const { ref, after, before, deleted, repository, installation, sender } = context.payload;
    const branch = ref.replace(/^refs\/heads\//, "");
    if (deleted || !installation || ref !== `refs/heads/${repository.default_branch}`) return;
    const owner = repository.owner?.login ?? repository.full_name.split("/")[0] ?? "";
    const log = context.log.child({ delivery: context.id, repo: repository.full_name, sha: after });
    const host = new GitHubCodeHost(context.octokit, owner, repository.name, deps.appLogin, deps.jobPageUrl, repository.clone_url);
    // The config of the pushed head itself: read at `after`, without asking the remote for the branch.
    const config = await loadRepoConfig({ host, sources: deps.sources, defaultBranch: repository.default_branch, headSha: after });
    if (!config.ok) {
      log.warn(errorLogFields(new ConfigError(config.error)), "push: repository config is invalid; no training or build");
      return;
    }
    const repo = { owner, name: repository.name, installationId: installation.id };
    if (config.value.train_on_push) {
      const parent = /^0+$/.test(before) ? null : before;
      await enqueuePushTraining({ host, store: deps.store, log, repo, deliveryId: context.id, branch, sha: after, before: parent, requestedBy: sender?.login ?? "push", config: config.value, wake: deps.wake, runners: deps.runners });
    }
    if (!config.value.build_on_push || !deps.dockerAvailable) return;
    const plans = planImageBuilds({ config: config.value, names: [], sha: after, refTag: branch });
    if (!plans.ok) {
      log.warn({ problems: plans.error }, "push: build_on_push is set but the images cannot be planned");
      return;
    }
    await enqueueBuild({
      host,
      store: deps.store,
      log,
      repo,
      key: `push:${context.id}`,
      sha: after,
      ref: branch,
      pr: null,
      requestedBy: sender?.login ?? "push",
      commentId: null,
      plans: plans.value,
      source: repository.html_url,
      wake: deps.wake,
    });
  };
}
