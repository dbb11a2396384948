import { z } from "zod";
import { runOutcomes } from "../../core/train/training-result.js";
import { err, ok, type Result } from "../../core/result.js";
import type { RunResult } from "../../ports/job-runner.js";

/** What `mlops-bot job` writes when the pipeline ends (the bot trusts it over the execution's status). */
export const completionRecordSchema = z.object({
  outcome: z.enum(runOutcomes),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  logTail: z.array(z.string()).readonly(),
  logBytes: z.number().int().nonnegative(),
  logTruncated: z.boolean(),
  error: z.string().optional(),
  /** How many log pieces the agent uploaded (`log/000001.txt` on). */
  logPieces: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<RunResult>;
export type CompletionRecord = z.output<typeof completionRecordSchema>;

/** What the bot keeps to follow a Cloud Run execution after a restart: its name and the run's folder. */
export const runnerHandleSchema = z.object({
  execution: z.string().regex(/^projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/]+\/executions\/[^/]+$/, "must be an execution name"),
  prefix: z.string().regex(/^runs\/[\w.-]+(\/[\w.-]+)*$/, "must be a run folder under runs/").refine((p) => !p.split("/").includes(".."), "must not contain .."),
});
export type RunnerHandle = z.output<typeof runnerHandleSchema>;

/** `completion.json` -> the run's result, or what is wrong with it. */
export function parseCompletionRecord(text: string): Result<CompletionRecord, string> {
  return parseJson(completionRecordSchema, text, "completion.json");
}

/** A stored runner handle -> the execution to follow, or what is wrong with it. */
export function parseRunnerHandle(text: string): Result<RunnerHandle, string> {
  return parseJson(runnerHandleSchema, text, "the stored Cloud Run handle");
}

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): Result<T, string> {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    return err(`${what} is not JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return ok(parsed.data);
  const [first] = parsed.error.issues;
  return err(`${what} is not valid: ${first?.message ?? "invalid"}${first?.path.length ? ` (at \`${first.path.join(".")}\`)` : ""}`);
}
