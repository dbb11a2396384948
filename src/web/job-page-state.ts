import type { StoredJob } from "../core/jobs/job.js";
import { StageTracker, type StageProgress } from "../core/pipeline/track-stages.js";
import { buildVegaSpec, type VegaLiteSpec } from "./build-vega-spec.js";
import { buildJobView, type JobView } from "./job-view.js";
import type { LinkScope } from "./link-signer.js";
import type { LogLine } from "./live-logs.js";
import { readJobLog } from "./read-job-log.js";
import { isEnded } from "./render/job-status.js";
import { renderJobSections, type JobSections } from "./render/render-job-sections.js";
import { defaultLogKey, type WebDeps } from "./web-deps.js";

/** A job page at one moment: what the server renders, and what the stream sends when it changes. */
export interface JobPageState {
  readonly view: JobView;
  readonly sections: JobSections;
  readonly plots: readonly VegaLiteSpec[];
  /** The log lines known now (live, or the stored log), for the first render. */
  readonly lines: readonly LogLine[];
  /** Lines not kept live any more (the page says so). */
  readonly live: boolean;
}

/** A signed same-origin link (path and query) to a scope, for links inside the pages. */
export function relativeLink(deps: Pick<WebDeps, "signer">, scope: LinkScope, suffix = ""): string {
  const { exp, sig } = deps.signer.sign(scope);
  return `${deps.signer.path(scope)}${suffix}?exp=${exp}&sig=${sig}`;
}

export async function loadJobPageState(deps: WebDeps, job: StoredJob, options: { withLines: boolean }): Promise<JobPageState> {
  const view = buildJobView(job, defaultLogKey(job.id));
  const live = deps.live.has(job.id);
  let lines: LogLine[] = [];
  let stages: StageProgress[];
  if (live) {
    stages = deps.live.stages(job.id);
    if (options.withLines) deps.live.subscribe(job.id, 0, (l) => (lines = [...l])).unsubscribe();
  } else {
    const stored = view.logKey ? await readJobLog(deps.artifacts, view.logKey, deps.redact) : undefined;
    lines = stored?.lines ?? [];
    const tracker = new StageTracker();
    for (const line of lines) tracker.push(line.text);
    stages = tracker.snapshot();
  }
  stages = settleStages(stages, job);
  const scope = { kind: "job", id: job.id } as const;
  const sections = renderJobSections(view, stages, {
    artifact: (key) => relativeLink(deps, scope, `/artifacts/${key.split("/").map(encodeURIComponent).join("/")}`),
    pr: job.pr === null ? undefined : relativeLink(deps, { kind: "pr", owner: job.repo.owner, name: job.repo.name, pr: job.pr }),
  });
  const labels = { base: view.baseLabel, head: job.headSha.slice(0, 7) };
  return { view, sections, plots: view.plots.plots.map((p) => buildVegaSpec(p, labels)), lines, live };
}

/** Once the job ended, a stage still shown running is done (it succeeded) or failed. */
function settleStages(stages: StageProgress[], job: StoredJob): StageProgress[] {
  if (!isEnded(job.state)) return stages;
  return stages.map((s) => (s.state === "running" ? { ...s, state: job.state === "succeeded" ? "done" : "failed" } : s));
}
