import { repoConfigSchema } from "../../src/config/repo-config-schema.js";
import type { BuildInput } from "../../src/core/jobs/build-job.js";
import type { DeployInput } from "../../src/core/jobs/deploy-job.js";
import type { DiffInput } from "../../src/core/jobs/diff-job.js";
import type { NewJob } from "../../src/core/jobs/job.js";
import { trainInput, type TrainInput } from "../../src/core/jobs/train-job.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";

type Envelope = Omit<Extract<NewJob, { kind: "train" }>, "kind" | "input">;
type KindAndInput = { kind?: "train"; input?: TrainInput } | { kind: "diff"; input?: DiffInput } | { kind: "build"; input?: BuildInput } | { kind: "deploy"; input?: DeployInput };

/** A train job's input under the default repo config, with `overrides`. */
export function newTrainInput(overrides: TrainInput["overrides"] = []): TrainInput {
  return trainInput({ overrides, config: repoConfigSchema.parse({}) });
}

/** A realistic job request (a /train unless `kind` says otherwise); override what a test cares about. */
export function newJob(overrides: Partial<Envelope> & KindAndInput = {}): NewJob {
  const envelope: Envelope = {
    key: overrides.key ?? "comment:1:0",
    group: overrides.group === undefined ? "octo-org/ml-repo#1:train" : overrides.group,
    repo: overrides.repo ?? { owner: "octo-org", name: "ml-repo", installationId: 2 },
    pr: overrides.pr === undefined ? 1 : overrides.pr,
    headSha: overrides.headSha ?? "c0ffee0000000000000000000000000000000001",
    headRef: overrides.headRef === undefined ? "feature" : overrides.headRef,
    baseRef: overrides.baseRef === undefined ? "main" : overrides.baseRef,
    baseSha: overrides.baseSha === undefined ? "ba5e000000000000000000000000000000000001" : overrides.baseSha,
    requestedBy: overrides.requestedBy ?? "octocat",
    commentId: overrides.commentId === undefined ? 1 : overrides.commentId,
  };
  if (overrides.kind === "diff") return { ...envelope, kind: "diff", input: overrides.input ?? { trigger: "`/diff` from @octocat" } };
  if (overrides.kind === "build") {
    const plans = [{ name: "training", context: ".", dockerfile: "docker/training/Dockerfile", buildArgs: {}, tags: ["registry.test/ml/training:c0ffee0"] }];
    return { ...envelope, kind: "build", input: overrides.input ?? { plans, source: "https://github.example/octo-org/ml-repo" } };
  }
  if (overrides.kind === "deploy") return { ...envelope, kind: "deploy", input: overrides.input ?? newDeployInput() };
  return { ...envelope, kind: "train", input: overrides.input ?? newTrainInput() };
}

/** What a successful training run of the example stores. */
export function newTrainingResult(metrics: Record<string, number> = { accuracy: 0.9 }): TrainingResult {
  return {
    outcome: "succeeded",
    durationMs: 1200,
    headSha: "c0ffee0000000000000000000000000000000001",
    overrides: [],
    head: { metrics: { "ml/metrics.json": JSON.stringify(metrics) }, params: { "ml/params.yaml": "train:\n  seed: 3\n" } },
    base: { source: "none", ref: "main", sha: null, metrics: {}, params: {} },
    artifacts: ["jobs/1/log.txt"],
    logKey: "jobs/1/log.txt",
    logTail: ["done"],
  };
}

/** A promotion of a train job's model, asked for by `/deploy`. */
export function newDeployInput(): DeployInput {
  return {
    run: {
      jobId: "job-1",
      modelKey: "jobs/job-1/model/ml/models/model.onnx",
      modelPath: "ml/models/model.onnx",
      modelBytes: 1234,
      modelSha256: "a".repeat(64),
      metrics: [{ file: "ml/metrics.json", key: "accuracy", value: 0.9 }],
      gates: ["✅ accuracy 0.9 ≥ min 0.85"],
    },
    trigger: "comment",
    mergeSha: null,
  };
}
