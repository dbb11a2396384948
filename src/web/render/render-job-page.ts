import type { JobView } from "../job-view.js";
import { jobKindSpecs } from "../../core/jobs/job-kinds.js";
import { escapeHtml as e, jsonForScript } from "./escape-html.js";
import { JOB_STATUS } from "./job-status.js";
import { renderHtmlHead } from "./render-html-head.js";
import type { JobSections } from "./render-job-sections.js";

/** What the page's script needs: where to listen, and the charts to draw. */
export interface JobPageData {
  readonly events: string;
  readonly state: string;
  readonly plots: readonly unknown[];
}


/**
 * The whole job page: server-rendered sections (readable without script), the log, and the data
 * block the page's script reads (JSON, inert: the CSP allows no inline script). Assets are the
 * bot's own (`/assets/...`); nothing is loaded from elsewhere.
 */
export function renderJobPage(view: JobView, sections: JobSections, data: JobPageData, links: { repo: string; pr?: string | undefined; logText: string }): string {
  const { job } = view;
  const status = JOB_STATUS[job.state];
  const name = job.kind === null ? "unreadable job" : jobKindSpecs[job.kind].checkName;
  const crumbs = [`<a href="${e(links.repo)}">${e(job.repo.owner)}/${e(job.repo.name)}</a>`, ...(job.pr !== null && links.pr ? [`<a href="${e(links.pr)}">#${job.pr}</a>`] : [])];
  return `${renderHtmlHead(`${status.word}: ${name} ${job.headSha.slice(0, 7)} · ${job.repo.owner}/${job.repo.name}`)}
<main id="job" data-state="${e(job.state)}">
<nav class="crumbs" aria-label="Breadcrumbs">${crumbs.join(" › ")}</nav>
<h1>${e(name)} <code>${e(job.headSha.slice(0, 7))}</code></h1>
<p id="status" class="status tone-${status.tone}" role="status" aria-live="polite">${sections.status}</p>
<section id="summary" aria-label="Summary">${sections.summary}</section>
<section aria-labelledby="stages-title"><h2 id="stages-title">Stages</h2><div id="stages">${sections.stages}</div></section>
<section aria-labelledby="log-title">
<h2 id="log-title">Log</h2>
<p id="log-note" class="note">${job.state === "running" || job.state === "queued" ? "Live: new lines appear as the job writes them." : ""}</p>
<pre id="log" tabindex="0" aria-label="Job log">${e(links.logText)}</pre>
</section>
<section id="metrics">${sections.metrics}</section>
<section id="params">${sections.params}</section>
<section id="plots">${sections.plots}</section>
<section id="artifacts">${sections.artifacts}</section>
<p class="note">This page's link is signed and expires; share it only with people who may see the repository.</p>
</main>
<script type="application/json" id="job-data">${jsonForScript(data)}</script>
<script src="/assets/vega.min.js"></script>
<script src="/assets/vega-lite.min.js"></script>
<script src="/assets/vega-interpreter.js"></script>
<script src="/assets/job-page.js"></script>
</body>
</html>
`;
}
