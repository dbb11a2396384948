import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import { retrain } from "../flows/retrain.js";
import { TRAIN_CHECK } from "../core/jobs/train-job.js";
import type { RunnerRegistry } from "../jobs/runner-registry.js";
import type { JobStore } from "../ports/job-store.js";
import type { SourceProvider } from "../ports/source-provider.js";

/** `check_run.rerequested` and the "Train again" button on our train check: hand off to retrain. */
export function handleCheckRun(deps: {
  store: JobStore;
  sources: Pick<SourceProvider, "readDefaultBranchFile">;
  wake: () => void;
  runners: Pick<RunnerRegistry, "missing">;
  appLogin: () => Promise<string>;
  jobPageUrl?: ((jobId: string) => string) | undefined;
}) {
  return async (context: Context<"check_run.rerequested" | "check_run.requested_action">): Promise<void> => {
    const { check_run: run, repository, installation, sender } = context.payload;
    if (run.name !== TRAIN_CHECK || !run.external_id || !installation) return;
    if (context.payload.action === "requested_action" && context.payload.requested_action?.identifier !== "train-again") return;
    const host = new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl, repository.clone_url);
    await retrain({
      host,
      configSource: { host, sources: deps.sources, defaultBranch: repository.default_branch },
      store: deps.store,
      originalJobId: run.external_id,
      sender: sender.login,
      deliveryId: context.id,
      installationId: installation.id,
      log: context.log.child({ delivery: context.id, repo: repository.full_name, check_run: run.id }),
      wake: deps.wake,
      runners: deps.runners,
    });
  };
}
