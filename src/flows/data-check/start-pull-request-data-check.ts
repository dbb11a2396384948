import { loadRepoConfig, type RepoConfigSource } from "../../config/load-repo-config.js";
import { ConfigError } from "../../core/errors.js";
import { DATA_CHECK } from "../../core/jobs/diff-job.js";
import { errorLogFields, renderError } from "../../report/render-error.js";
import type { CodeHost, PullRequest } from "../../ports/code-host.js";
import type { JobStore } from "../../ports/job-store.js";
import type { Logger } from "../../ports/logger.js";
import { queueDataCheck } from "./queue-data-check.js";

/**
 * A pull request was opened, pushed to or reopened: unless this delivery was handled already,
 * read the config from the default branch and, when `data.on_pull_request` (the default), queue
 * the data check. An invalid config ends the check at once (neutral), saying what to fix.
 * Keyed by delivery id, so a redelivered webhook does nothing twice; a newer push supersedes.
 */
export async function startPullRequestDataCheck(params: {
  host: CodeHost;
  /** Where the default branch's config is read (the bot's mirror). */
  configSource: RepoConfigSource;
  store: JobStore;
  installationId: number;
  deliveryId: string;
  action: string;
  pr: Pick<PullRequest, "number" | "headSha" | "headRef" | "baseSha" | "baseRef">;
  sender: string;
  log: Logger;
  wake: () => void;
}): Promise<void> {
  const { host, store, log, pr } = params;
  const key = `delivery:${params.deliveryId}`;
  if (!(await store.markCommandSeen(key))) {
    log.info({ key }, "pull_request delivery already handled (redelivery): nothing to do");
    return;
  }
  try {
    const loaded = await loadRepoConfig(params.configSource);
    if (!loaded.ok) {
      const error = new ConfigError(loaded.error);
      log.warn(errorLogFields(error), "repository config is invalid: data check not run");
      await host.updateCheckRun(
        (await host.createCheckRun({ name: DATA_CHECK, headSha: pr.headSha, externalId: key, status: "in_progress", output: { title: "Configuration invalid", summary: "" } })).id,
        { conclusion: "neutral", output: { title: "The bot's configuration is invalid", summary: renderError(error) } },
      );
      return;
    }
    if (!loaded.value.data.on_pull_request) {
      log.info("data.on_pull_request is off: no data check");
      return;
    }
    await queueDataCheck({
      host,
      store,
      installationId: params.installationId,
      pr,
      key,
      requestedBy: params.sender,
      commentId: null,
      input: { trigger: `\`pull_request.${params.action}\`` },
      log,
      wake: params.wake,
    });
  } catch (e) {
    // Nothing was queued: let a redelivery try again.
    await store.forgetCommand(key);
    throw e;
  }
}
