import { z } from "zod";
import type { StoredJob } from "../core/jobs/job.js";
import { diffMetrics } from "../core/metrics/diff-metrics.js";
import { diffParams } from "../core/params/diff-params.js";
import type { ParamsFile } from "../core/params/params-file.js";
import { parseParamsFile } from "../core/params/parse-params-file.js";
import type { ValueChange } from "../core/params/value-change.js";
import { EMPTY_PLOT_COMPARISON, plotComparisonSchema, type PlotComparison } from "../core/plots/plot-comparison.js";
import { formatProblem } from "../core/problem.js";

/** Everything the job page shows about one job, read from its stored record. */
export interface JobView {
  readonly job: Pick<StoredJob, "id" | "kind" | "state" | "reason" | "repo" | "pr" | "headSha" | "headRef" | "baseRef" | "baseSha" | "requestedBy" | "createdAt" | "startedAt" | "finishedAt">;
  readonly metrics: readonly ValueChange[];
  readonly params: readonly ValueChange[];
  readonly plots: PlotComparison;
  /** Artifact keys the page offers for download (the log first). */
  readonly artifacts: readonly string[];
  readonly logKey: string | undefined;
  readonly baseLabel: string;
  readonly durationMs: number | undefined;
  readonly mlflow: { readonly runUrl?: string | undefined; readonly compareUrl?: string | undefined } | undefined;
  /** Stored outputs that could not be read, one line each. */
  readonly problems: readonly string[];
}

const texts = z.record(z.string(), z.string()).catch({});
/** The parts of a job's stored result the page reads; anything missing or malformed reads as absent. */
const resultSchema = z
  .object({
    durationMs: z.number().optional().catch(undefined),
    logKey: z.string().optional().catch(undefined),
    artifacts: z.array(z.string()).catch([]),
    head: z.object({ metrics: texts, params: texts }).optional().catch(undefined),
    base: z
      .object({ source: z.string().optional(), ref: z.string().nullable().optional(), sha: z.string().nullable().optional(), metrics: texts, params: texts })
      .optional()
      .catch(undefined),
    plots: plotComparisonSchema.optional().catch(undefined),
    mlflow: z.object({ runUrl: z.string().optional(), compareUrl: z.string().optional() }).optional().catch(undefined),
  })
  .catch({ artifacts: [] });

/** A stored job -> what its page shows. Pure; a result of another shape shows as no outputs. */
export function buildJobView(job: StoredJob, logKeyFallback?: string): JobView {
  const result = resultSchema.parse(job.result ?? {});
  const problems: string[] = [];
  const parse = (files: Record<string, string> | undefined) => parseFiles(files ?? {}, problems);
  const metrics = result.head ? diffMetrics({ base: parse(result.base?.metrics), head: parse(result.head.metrics), all: true }) : [];
  const params = result.head ? diffParams({ base: parse(result.base?.params), head: parse(result.head.params) }) : [];
  const logKey = result.logKey ?? logKeyFallback;
  const artifacts = [...new Set([...(logKey ? [logKey] : []), ...result.artifacts])];
  const base = result.base;
  const at = base?.sha ? ` @ ${base.sha.slice(0, 7)}` : "";
  const baseLabel = base && base.source !== "none" ? `${base.ref ?? "base"}${at}` : "no base";
  return {
    job,
    metrics,
    params,
    plots: result.plots ?? EMPTY_PLOT_COMPARISON,
    artifacts,
    logKey,
    baseLabel,
    durationMs: result.durationMs,
    mlflow: result.mlflow,
    problems,
  };
}

function parseFiles(files: Record<string, string>, problems: string[]): Map<string, ParamsFile | undefined> {
  const out = new Map<string, ParamsFile | undefined>();
  for (const [file, text] of Object.entries(files)) {
    const parsed = parseParamsFile({ file, text });
    if (parsed.ok) out.set(file, parsed.value);
    else problems.push(...parsed.error.map(formatProblem));
  }
  return out;
}
