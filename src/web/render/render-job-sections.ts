import { pyAbs, toJsNumber } from "../../core/params/py-number.js";
import type { StageProgress } from "../../core/pipeline/track-stages.js";
import { formatPythonNumber, formatPythonValue } from "../../core/params/format-python-value.js";
import type { ValueChange } from "../../core/params/value-change.js";
import { normalizeRows } from "../../report/plots/render-confusion-table.js";
import type { JobView } from "../job-view.js";
import { escapeHtml as e } from "./escape-html.js";
import { isEnded, JOB_STATUS, STAGE_STATUS } from "./job-status.js";

/** The parts of the job page that change while the job runs; each is the inner HTML of one element. */
export interface JobSections {
  readonly status: string;
  readonly summary: string;
  readonly stages: string;
  readonly metrics: string;
  readonly params: string;
  readonly plots: string;
  readonly artifacts: string;
}

/** The sections of a job page. Pure: every value from the job is escaped. */
export function renderJobSections(view: JobView, stages: readonly StageProgress[], links: { artifact: (key: string) => string; pr?: string | undefined }): JobSections {
  return {
    status: renderStatus(view),
    summary: renderSummary(view, links.pr),
    stages: renderStages(view, stages),
    metrics: renderValues(view.metrics, { title: "Metrics", column: "Metric", baseLabel: view.baseLabel, empty: isEnded(view.job.state) ? "No metrics." : "Not yet: metrics appear when the run ends." }),
    params: renderValues(view.params, { title: "Params", column: "Param", baseLabel: view.baseLabel, empty: isEnded(view.job.state) ? "No params changed." : "Not yet." }),
    plots: renderPlots(view),
    artifacts: renderArtifacts(view, links.artifact),
  };
}

function renderStatus(view: JobView): string {
  const status = JOB_STATUS[view.job.state];
  const took = view.durationMs !== undefined && isEnded(view.job.state) ? ` in ${Math.round(view.durationMs / 1000)} s` : "";
  const reason = view.job.reason && view.job.state !== "succeeded" ? ` <span class="reason">${e(view.job.reason)}</span>` : "";
  return `<span class="symbol" aria-hidden="true">${status.symbol}</span> <strong>${status.word}</strong>${took}.${reason}`;
}

function renderSummary(view: JobView, prLink: string | undefined): string {
  const { job } = view;
  const pr = job.pr === null ? "" : prLink ? `<a href="${e(prLink)}">#${job.pr}</a>` : `#${job.pr}`;
  const rows: Array<[string, string]> = [
    ["Repository", `${e(job.repo.owner)}/${e(job.repo.name)}${pr ? ` ${pr}` : ""}`],
    ["Commit", `<code>${e(job.headSha.slice(0, 12))}</code>${job.headRef ? ` (${e(job.headRef)})` : ""}`],
    ["Compared with", e(view.baseLabel)],
    ["Requested by", e(job.requestedBy)],
    ["Queued", time(job.createdAt)],
  ];
  if (job.startedAt) rows.push(["Started", time(job.startedAt)]);
  if (job.finishedAt) rows.push(["Ended", time(job.finishedAt)]);
  if (view.mlflow?.runUrl) rows.push(["MLflow", `<a href="${e(view.mlflow.runUrl)}" rel="noreferrer">run</a>${view.mlflow.compareUrl ? ` · <a href="${e(view.mlflow.compareUrl)}" rel="noreferrer">compare with the base run</a>` : ""}`]);
  return `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function time(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}">${iso.replace("T", " ").slice(0, 19)} UTC</time>`;
}

function renderStages(view: JobView, stages: readonly StageProgress[]): string {
  if (stages.length === 0) return `<p>${view.job.state === "queued" ? "Waiting for a worker." : isEnded(view.job.state) ? "No stages were reported." : "Starting…"}</p>`;
  const items = stages.map((s) => `<li class="stage stage-${s.state}"><span aria-hidden="true">${STAGE_STATUS[s.state].symbol}</span> <code>${e(s.name)}</code> <span class="stage-state">${STAGE_STATUS[s.state].word}</span></li>`);
  return `<ol class="stages">${items.join("")}</ol>`;
}

function renderValues(changes: readonly ValueChange[], o: { title: string; column: string; baseLabel: string; empty: string }): string {
  if (changes.length === 0) return `<h2>${o.title}</h2><p>${o.empty}</p>`;
  const cell = (v: unknown) => (v === undefined || v === null ? "–" : e(typeof v === "number" ? formatPythonNumber(Number.isInteger(v) ? v : Number(v.toFixed(6))) : formatPythonValue(v)));
  const sign = (d: number) => (d > 0 ? "+" : d < 0 ? "−" : "±");
  const change = (c: ValueChange) => (c.diff === undefined ? (c.changed ? "changed" : "–") : `${sign(toJsNumber(c.diff))}${cell(pyAbs(c.diff))}`);
  const rows = changes.map((c) => `<tr><td><code>${e(c.path)}</code></td><th scope="row"><code>${e(c.key)}</code></th><td>${cell(c.old)}</td><td>${cell(c.new)}</td><td>${change(c)}</td></tr>`);
  return `<h2>${o.title}</h2><div class="scroll"><table><thead><tr><th scope="col">File</th><th scope="col">${o.column}</th><th scope="col">Base (${e(o.baseLabel)})</th><th scope="col">Head</th><th scope="col">Change</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function renderPlots(view: JobView): string {
  const { plots, skipped, problems } = view.plots;
  if (plots.length === 0 && skipped.length === 0 && problems.length === 0) return `<h2>Plots</h2><p>${isEnded(view.job.state) ? "No plots." : "Not yet: plots appear when the run ends."}</p>`;
  const figures = plots.map((plot, i) => {
    const caption = `<figcaption><strong>${e(plot.title)}</strong> <code>${e(plot.id)}</code></figcaption>`;
    const notes = plot.notes.length ? `<p class="note">${plot.notes.map(note).join(" ")}</p>` : "";
    const fallback = plot.kind === "confusion" ? confusionTable(plot.classes, plot.normalized && plot.head ? normalizeRows(plot.head) : plot.head, plot.yLabel, plot.xLabel) : "";
    return `<figure class="plot">${caption}<div class="chart" data-plot="${i}" role="img" aria-label="${e(plot.title)}: base and head"></div>${fallback}${notes}</figure>`;
  });
  const skippedList = skipped.length ? `<p class="note">Not drawn: ${skipped.map((s) => `<code>${e(s.id)}</code> (${note(s.reason)})`).join("; ")}.</p>` : "";
  const problemList = problems.length ? `<ul class="note">${problems.map((p) => `<li>${note(p)}</li>`).join("")}</ul>` : "";
  return `<h2>Plots</h2>${figures.join("")}${skippedList}${problemList}`;
}

/** A note of ours that quotes names in backticks: those become code, everything escaped. */
function note(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.length >= 2 && part.startsWith("`") && part.endsWith("`") ? `<code>${e(part.slice(1, -1))}</code>` : e(part)))
    .join("");
}

function confusionTable(classes: readonly string[], head: readonly (readonly number[])[] | null, rowLabel: string, columnLabel: string): string {
  if (!head) return "";
  const value = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  const header = `<tr><th scope="col">${e(rowLabel)} ＼ ${e(columnLabel)}</th>${classes.map((c) => `<th scope="col">${e(c)}</th>`).join("")}</tr>`;
  const rows = classes.map((c, r) => `<tr><th scope="row">${e(c)}</th>${classes.map((_, k) => `<td>${value(head[r]?.[k] ?? 0)}</td>`).join("")}</tr>`);
  return `<details><summary>Head counts as a table</summary><div class="scroll"><table>${header}${rows.join("")}</table></div></details>`;
}

function renderArtifacts(view: JobView, link: (key: string) => string): string {
  if (view.artifacts.length === 0) return `<h2>Artifacts</h2><p>${isEnded(view.job.state) ? "None stored." : "Not yet."}</p>`;
  const items = view.artifacts.map((key) => `<li><a href="${e(link(key))}" download>${e(key.split("/").slice(2).join("/") || key)}</a></li>`);
  return `<h2>Artifacts</h2><ul class="artifacts">${items.join("")}</ul>`;
}
