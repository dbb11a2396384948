import type { UnreadableJob } from "../../core/jobs/job.js";
import { formatProblem } from "../../core/problem.js";

/** Why a job with a damaged record was not run (its stored reason). */
export function unreadableJobReason(job: Pick<UnreadableJob, "problem">): string {
  return `The job's stored record is damaged, so it was not run: ${formatProblem(job.problem)}`;
}

/** The check run of a job whose stored record does not parse: what is wrong, and what to do. Pure. */
export function renderUnreadableJob(job: Pick<UnreadableJob, "problem" | "reason" | "state">): { title: string; summary: string } {
  const lines = [job.reason ?? unreadableJobReason(job)];
  if (job.reason && !job.reason.includes(job.problem.message)) lines.push("", `The stored record is damaged: ${formatProblem(job.problem)}`);
  if (job.state === "succeeded") lines.push("", "The job ended, but what it produced cannot be read back, so there is no report.");
  return { title: "The job's stored record is damaged", summary: lines.join("\n") };
}
