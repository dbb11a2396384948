import { checkForkPolicy } from "../commands/check-fork-policy.js";
import { recordHeadSeen } from "../commands/head-sightings.js";
import { loadRepoConfig, type RepoConfigSource } from "../config/load-repo-config.js";
import { ConfigError, PermissionError } from "../core/errors.js";
import { errorLogFields, renderError } from "../report/render-error.js";
import type { RepoConfig } from "../config/repo-config-schema.js";
import { hasPermission } from "../core/permissions/permission-level.js";
import { isReadable } from "../core/jobs/job.js";
import { formatProblem } from "../core/problem.js";
import { queueJob } from "../jobs/queue-job.js";
import type { TrainJob } from "../core/jobs/job.js";
import type { RunnerRegistry } from "../jobs/runner-registry.js";
import { TRAIN_CHECK, trainInput } from "../core/jobs/train-job.js";
import type { CodeHost } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";

/**
 * "Re-run" and "Train again" on a `mlops-bot/train` check run: trains the same commit with the
 * same overrides again, for a user with the `/train` permission, under the current config, and
 * only where `/train` would: the bot has the configured runner, the pull request is open, and the
 * fork policy lets that exact commit run (a fork's commit needs its `/ok-to-train`).
 */
export async function retrain(params: {
  host: CodeHost;
  /** Where the default branch's config is read (the bot's mirror). */
  configSource: RepoConfigSource;
  store: JobStore;
  originalJobId: string;
  sender: string;
  deliveryId: string;
  installationId: number;
  log: Logger;
  wake: () => void;
  /** The bot's runners: a config naming one it does not have is refused before anything is queued, as `/train` refuses it. */
  runners: Pick<RunnerRegistry, "missing">;
}): Promise<void> {
  const { store } = params;
  const key = `check_run:${params.deliveryId}`;
  if (!(await store.markCommandSeen(key))) return; // a redelivery: handled already
  try {
    await retrainOnce(params, key);
  } catch (e) {
    await store.forgetCommand(key);
    throw e;
  }
}

async function retrainOnce(params: Parameters<typeof retrain>[0], key: string): Promise<void> {
  const { host, store, log } = params;
  const original = await store.get(params.originalJobId);
  if (!original || original.kind !== "train") {
    log.info({ job: params.originalJobId }, "re-run asked for a job this bot does not know: ignored");
    return;
  }
  if (!isReadable(original)) {
    log.error({ job: original.id, problem: original.problem }, "re-run asked for a job whose stored record is damaged");
    if (original.pr && original.damage !== "record") await host.comment(original.pr, `@${params.sender} the job to re-run cannot be read back (${formatProblem(original.problem)}), so nothing was run. Comment \`/train\` to train again.`);
    return;
  }
  const loaded = await loadRepoConfig(params.configSource);
  if (!loaded.ok) {
    const error = new ConfigError(loaded.error);
    log.warn(errorLogFields(error), "re-run refused: repository config is invalid");
    if (original.pr) await host.comment(original.pr, `@${params.sender} ${renderError(error, { nothingRan: "the re-run did not start" })}`);
    return;
  }
  const required = loaded.value.permissions.train;
  const permission = await host.getPermission(params.sender);
  if (!hasPermission(permission, required)) {
    const refusal = new PermissionError({ user: params.sender, action: "Re-running training", required, actual: permission });
    log.info(errorLogFields(refusal), "re-run refused: permission");
    if (original.pr) await host.comment(original.pr, `@${params.sender} ${renderError(refusal)}`);
    return;
  }
  const noRunner = params.runners.missing(loaded.value.runner);
  if (noRunner) {
    log.info(errorLogFields(noRunner), "re-run refused: the configured runner is not on this bot");
    if (original.pr) await host.comment(original.pr, `@${params.sender} ${renderError(noRunner, { nothingRan: "nothing was trained" })}`);
    return;
  }
  const refusal = await pullRequestRefusal(params, original, loaded.value);
  if (refusal) {
    log.info({ job: original.id, refusal }, "re-run refused: the pull request or its fork policy");
    if (original.pr) await host.comment(original.pr, `@${params.sender} ${refusal}`);
    return;
  }
  const { overrides, headRepo } = original.input;
  // A default-branch run trained again stays one (it writes the default branch's cache layer).
  const onDefaultBranch = original.pr === null && original.input.onDefaultBranch === true;
  await queueJob(params, {
    job: {
      kind: "train",
      key,
      group: original.group,
      repo: { ...original.repo, installationId: params.installationId },
      pr: original.pr,
      headSha: original.headSha,
      headRef: original.headRef,
      baseRef: original.baseRef,
      baseSha: original.baseSha,
      requestedBy: params.sender,
      commentId: null,
      input: { ...trainInput({ overrides, config: loaded.value, onDefaultBranch, headRepo }) },
    },
    check: { name: TRAIN_CHECK, output: { title: "Queued", summary: `Training \`${original.headSha.slice(0, 7)}\` again, requested by @${params.sender}.` } },
    supersededBecause: `Superseded by a re-run from @${params.sender}.`,
  });
}

/** Why the re-run may not run, as `/train` would say it; undefined when it may. */
async function pullRequestRefusal(params: Parameters<typeof retrain>[0], original: TrainJob, config: RepoConfig): Promise<string | undefined> {
  if (original.pr === null) return undefined;
  const { host, store } = params;
  const pr = await host.getPullRequest(original.pr);
  await recordHeadSeen(store, { owner: host.owner, repo: host.repo, pr: pr.number, sha: pr.headSha, at: new Date() });
  if (pr.state !== "open") return "This pull request is closed, so nothing was trained.";
  return checkForkPolicy({ pr, sha: original.headSha, config, store, owner: host.owner, repo: host.repo, command: "train" });
}
