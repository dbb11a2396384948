import { createHash } from "node:crypto";
import { repoConfigSchema } from "../../src/config/repo-config-schema.js";
import { trainInput } from "../../src/core/jobs/train-job.js";
import type { BotHarness } from "./bot-harness.js";
import { newTrainingResult } from "./new-job.js";
import { OWNER, REPO } from "./payloads.js";

/** A train job of PR #`pr` at `head` as the bot stores one that ended and was reported, with a model in the artifact store. */
export async function seedTrainRun(bot: BotHarness, params: { pr: number; head: string; accuracy: number; minAccuracy: number }): Promise<string> {
  const store = bot.engine.store;
  const config = repoConfigSchema.parse({ gates: { accuracy: { min: params.minAccuracy } } });
  const { job } = await store.enqueue({
    kind: "train",
    key: `seed:${params.pr}:${params.head}`,
    group: `${OWNER}/${REPO}#${params.pr}:train`,
    repo: { owner: OWNER, name: REPO, installationId: 2 },
    pr: params.pr,
    headSha: params.head,
    headRef: `feature-${params.pr}`,
    baseRef: "main",
    baseSha: null,
    requestedBy: "octocat",
    commentId: null,
    input: trainInput({ overrides: [], config }),
  });
  await store.claimNext({ worker: "seed", kinds: ["train"] });
  const model = Buffer.from("an onnx model's bytes");
  const key = `jobs/${job.id}/model/ml/models/model.onnx`;
  await bot.engine.artifacts.put(key, model);
  const result = {
    ...newTrainingResult({ accuracy: params.accuracy }),
    headSha: params.head,
    model: { key, path: "ml/models/model.onnx", bytes: model.length, sha256: createHash("sha256").update(model).digest("hex") },
  };
  await store.transition(job.id, "running", "succeeded", { result });
  await store.update(job.id, { reported: true });
  return job.id;
}
