import type { PromotedRun } from "../core/jobs/deploy-job.js";
import { isKind, isReadable, type TrainJob } from "../core/jobs/job.js";
import { trainGroup } from "../core/jobs/train-job.js";
import type { ParseFile } from "../core/limits/parse-repository-file.js";
import { err, ok, type Result } from "../core/result.js";
import { compareTraining } from "../core/train/compare-training.js";
import { parseTrainingFiles } from "../core/train/parse-training-files.js";
import type { JobStore } from "../ports/job-store.js";

/**
 * The model a pull request may promote: that of its last `/train` (the newest train job of the PR,
 * never another PR's, never an older one), and only when that run trained the PR's current head
 * commit, ended successfully, passed its gates (checked again, with the gates it ran under) and
 * left a model file. Otherwise the reason, in words for the PR. Nothing here comes from the PR's
 * files: the run, its model and its numbers are the bot's own records.
 */
export async function findPromotableRun(params: {
  store: JobStore;
  parse: ParseFile;
  repo: { owner: string; name: string };
  pr: number;
  headSha: string;
}): Promise<Result<PromotedRun, string>> {
  const { store, repo, pr, headSha } = params;
  const jobs = await store.list({ kind: "train", group: trainGroup(repo, pr) });
  const runs = jobs.filter(isReadable).filter((j): j is TrainJob => isKind(j, "train") && j.pr === pr && j.repo.owner === repo.owner && j.repo.name === repo.name);
  const last = runs.sort((a, b) => a.createdAt - b.createdAt).at(-1);
  const short = (sha: string) => `\`${sha.slice(0, 7)}\``;
  if (!last) return err(`No \`/train\` ran on #${pr}, so there is no model to deploy. Comment \`/train\`, and deploy once its gates pass.`);
  if (last.headSha !== headSha) {
    return err(`The last \`/train\` of #${pr} trained ${short(last.headSha)}, but the pull request's head is ${short(headSha)}: its model is not the code under review. Comment \`/train\` on the head commit first.`);
  }
  if (last.state === "queued" || last.state === "running") return err(`The last \`/train\` of #${pr} (${short(headSha)}) has not finished yet: deploy once it has passed its gates.`);
  const result = last.result;
  if (last.state !== "succeeded" || !result || result.outcome !== "succeeded") {
    return err(`The last \`/train\` of #${pr} (${short(headSha)}) ended ${last.state.replace("_", " ")}, so its model is not deployed.`);
  }
  const comparison = compareTraining({ state: last.state, result, parsed: await parseTrainingFiles(result, params.parse), config: last.input.config });
  const failed = comparison.gates.filter((g) => !g.passed);
  if (comparison.conclusion !== "success") {
    return err(`The last \`/train\` of #${pr} (${short(headSha)}) did not pass its gates, so its model is not deployed:\n\n${failed.map((g) => `- ❌ ${g.detail}`).join("\n")}`);
  }
  if (!result.model || result.model.bytes === 0) {
    return err(`The last \`/train\` of #${pr} (${short(headSha)}) left no model file at \`${last.input.config.pipeline.workdir}/${last.input.config.pipeline.model}\` (\`pipeline.model\`), so there is nothing to deploy.${result.outputNotes?.length ? ` ${result.outputNotes.join(" ")}` : ""}`);
  }
  return ok({
    jobId: last.id,
    modelKey: result.model.key,
    modelPath: result.model.path,
    modelBytes: result.model.bytes,
    modelSha256: result.model.sha256,
    metrics: comparison.metrics.filter((m) => m.new !== undefined).map((m) => ({ file: m.path, key: m.key, value: scalar(m.new) })),
    gates: comparison.gates.map((g) => `✅ ${g.detail}`),
    ...(result.mlflow?.runUrl ? { mlflowRunUrl: result.mlflow.runUrl } : {}),
  });
}

/** A metric's value as stored: numbers stay numbers (a Python int/float as parsed), anything else its text. */
function scalar(value: unknown): number | string | boolean | null {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  const n = Number(value);
  if (typeof value === "bigint") return value.toString();
  return Number.isFinite(n) ? n : (JSON.stringify(value) ?? "undefined");
}
