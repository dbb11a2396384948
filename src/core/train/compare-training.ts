import type { RepoConfig } from "../../config/repo-config-schema.js";
import { evaluateGates, type GateResult } from "../gates/evaluate-gates.js";
import type { JobState } from "../jobs/job.js";
import { diffMetrics } from "../metrics/diff-metrics.js";
import { diffParams } from "../params/diff-params.js";
import type { ParseOutcome } from "../limits/parse-repository-file.js";
import type { ParamsFile } from "../params/params-file.js";
import type { ValueChange } from "../params/value-change.js";
import type { Problem } from "../problem.js";
import type { ParsedTrainingFiles } from "./parse-training-files.js";
import type { TrainingResult } from "./training-result.js";

/** How a training run compares with its base, and what that means: the value the report renders and the CLI exits on. */
export interface TrainComparison {
  /** Metrics at base and head, shaped like `dvc metrics diff --all`. */
  readonly metrics: readonly ValueChange[];
  /** Params that differ between base and head, shaped like `dvc params diff`. */
  readonly params: readonly ValueChange[];
  /** Each configured gate, checked (only when the pipeline ran to the end). */
  readonly gates: readonly GateResult[];
  /** The train check's conclusion: a failed gate fails a successful run. */
  readonly conclusion: "success" | "failure" | "cancelled" | "timed_out";
  /** Metrics or params files that could not be read. */
  readonly problems: readonly Problem[];
  /** Whether the pipeline ran to the end (so a missing metrics file is worth saying). */
  readonly ran: boolean;
}

/**
 * A training job's end -> its comparison with the base: the metrics and params files (parsed
 * once, off the bot's thread: `parseTrainingFiles`) diffed, gates evaluated, conclusion decided.
 * Pure: shared by the bot's report and the CLI.
 */
export function compareTraining(params: {
  state: JobState;
  result: TrainingResult | null;
  /** The result's params and metrics files, parsed (`parseTrainingFiles`). */
  parsed: ParsedTrainingFiles | undefined;
  config: Pick<RepoConfig, "gates" | "report">;
}): TrainComparison {
  const { state, result, parsed, config } = params;
  const problems: Problem[] = [];
  const files = (outcomes: ReadonlyMap<string, ParseOutcome<"metrics" | "params">>) => valuesOf(outcomes, problems);
  const metrics = result && parsed ? diffMetrics({ base: files(parsed.base.metrics), head: files(parsed.head.metrics), all: true }) : [];
  const paramChanges = result && parsed ? diffParams({ base: files(parsed.base.params), head: files(parsed.head.params) }) : [];
  const ran = state === "succeeded" && result?.outcome === "succeeded";
  const gates = ran ? evaluateGates({ gates: config.gates, metrics, precision: config.report.precision }) : [];
  const conclusion =
    state === "succeeded" ? (gates.some((g) => !g.passed) ? "failure" : "success") : state === "timed_out" ? "timed_out" : state === "cancelled" ? "cancelled" : "failure";
  return { metrics, params: paramChanges, gates, conclusion, problems, ran };
}

function valuesOf(outcomes: ReadonlyMap<string, ParseOutcome<"metrics" | "params">>, problems: Problem[]): Map<string, ParamsFile | undefined> {
  const out = new Map<string, ParamsFile | undefined>();
  for (const [file, parsed] of outcomes) {
    if (parsed.ok) out.set(file, parsed.value);
    else problems.push(...parsed.error);
  }
  return out;
}
