import { z } from "zod";
import type { CheckConclusion } from "../../ports/code-host.js";

/** A `diff` job (the data check): its stored input and result, and its identity on GitHub. */
export const DATA_CHECK = "mlops-bot/data";

/** What a data-check job carries: who or what asked for it, for the check run's text. */
export const diffInputSchema = z.object({
  /** `pull_request.synchronize`, or `` `/diff` from @octocat ``. */
  trigger: z.string(),
});
export type DiffInput = z.output<typeof diffInputSchema>;

const conclusions = ["success", "failure", "neutral", "cancelled", "timed_out", "action_required", "skipped"] as const satisfies readonly CheckConclusion[];
const count = z.number().int().nonnegative();

/** What a finished data check keeps: the rendered check run (small), and counts for logs and tests. */
export const diffResultSchema = z.object({
  conclusion: z.enum(conclusions),
  title: z.string(),
  summary: z.string(),
  counts: z.object({ roots: count, datasets: count, changes: count, params: count, metrics: count, notInCache: count, problems: count }),
});
export type DiffResult = z.output<typeof diffResultSchema>;

/** One pull request's data checks supersede each other: a newer push makes the older one moot. */
export function diffGroup(repo: { owner: string; name: string }, pr: number): string {
  return `${repo.owner}/${repo.name}#${pr}:diff`;
}
