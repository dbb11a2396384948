import type { StoredJob } from "../../core/jobs/job.js";
import { escapeHtml as e } from "./escape-html.js";
import { JOB_STATUS } from "./job-status.js";
import { renderHtmlHead } from "./render-html-head.js";

/** A repository's or a PR's jobs, newest first, each linked to its (signed) page. */
export function renderJobList(params: { title: string; jobs: readonly StoredJob[]; link: (job: StoredJob) => string; prLink?: (pr: number) => string }): string {
  const rows = params.jobs.map((job) => {
    const s = JOB_STATUS[job.state];
    const pr = job.pr === null ? "–" : params.prLink ? `<a href="${e(params.prLink(job.pr))}">#${job.pr}</a>` : `#${job.pr}`;
    const when = new Date(job.createdAt).toISOString().replace("T", " ").slice(0, 16);
    return `<tr><td class="tone-${s.tone}"><span aria-hidden="true">${s.symbol}</span> ${s.word}</td><td><a href="${e(params.link(job))}">${e(job.kind ?? "unreadable")} <code>${e(job.headSha.slice(0, 7))}</code></a></td><td>${pr}</td><td>${e(job.requestedBy)}</td><td><time datetime="${new Date(job.createdAt).toISOString()}">${when} UTC</time></td></tr>`;
  });
  const table = rows.length
    ? `<div class="scroll"><table><thead><tr><th scope="col">Status</th><th scope="col">Job</th><th scope="col">PR</th><th scope="col">Requested by</th><th scope="col">Queued</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`
    : "<p>No jobs yet.</p>";
  return `${renderHtmlHead(params.title)}
<main>
<h1>${e(params.title)}</h1>
${table}
<p class="note">This page's link is signed and expires; share it only with people who may see the repository.</p>
</main>
</body>
</html>
`;
}
