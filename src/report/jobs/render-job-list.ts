import type { StoredJob } from "../../core/jobs/job.js";

/** A time as `2026-12-01 09:30:00` (UTC), or `-`. */
export function formatUtc(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "-" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** Where a job runs: `owner/repo#12`, or `owner/repo@ref` for jobs without a pull request. */
export function jobWhere(job: Pick<StoredJob, "repo" | "pr" | "headRef">): string {
  const repo = `${job.repo.owner}/${job.repo.name}`;
  return job.pr !== null ? `${repo}#${job.pr}` : job.headRef ? `${repo}@${job.headRef}` : repo;
}

/**
 * Text that came from a job (a reason may quote a pipeline's output) as the terminal may show it:
 * control characters other than newlines and tabs, which could move the cursor or retitle the
 * window, become U+FFFD.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\uFFFD");
}

/** A value as indented JSON that is safe in a terminal too: the C1 controls JSON leaves raw are escaped. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One line of free text, cut to `width` characters with `…`. */
function oneLine(text: string | null, width: number): string {
  const line = printable(text ?? "").replace(/\s+/g, " ").trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * Jobs as a terminal table, one per line in the given order: id, kind, state (`*` = cancel
 * requested, `!` = ended but not yet shown on GitHub), where, commit, creation time, reason.
 */
export function renderJobList(jobs: readonly StoredJob[]): string {
  if (jobs.length === 0) return "No jobs match.\n";
  const rows = jobs.map((job) => [
    job.id,
    job.kind ?? "?",
    `${job.state}${job.cancelRequested && job.state === "running" ? "*" : ""}${job.state !== "queued" && job.state !== "running" && !job.reported ? "!" : ""}`,
    jobWhere(job),
    job.headSha.slice(0, 7),
    formatUtc(job.createdAt),
    oneLine(job.reason, 60),
  ]);
  const header = ["ID", "KIND", "STATE", "WHERE", "COMMIT", "CREATED (UTC)", "REASON"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const legend = jobs.some((j) => j.cancelRequested && j.state === "running") || jobs.some((j) => j.state !== "queued" && j.state !== "running" && !j.reported);
  return [line(header), ...rows.map(line), ...(legend ? ["", "* cancel requested   ! ended, not yet reported on GitHub"] : []), ""].join("\n");
}
