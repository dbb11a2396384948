import type { StoredJob } from "../../core/jobs/job.js";
import { formatProblem } from "../../core/problem.js";
import { formatUtc, jobWhere, printable, renderJson } from "./render-job-list.js";

/** Every field of one job, for an operator's terminal: labels on the left, JSON input and result at the end. */
export function renderJobDetails(job: StoredJob): string {
  const state = `${job.state}${job.cancelRequested ? " (cancel requested)" : ""}${job.state === "queued" || job.state === "running" ? "" : job.reported ? ", reported" : ", not yet reported"}`;
  const lease = job.leaseExpiresAt ? `, lease until ${formatUtc(job.leaseExpiresAt)} UTC` : "";
  const fields: Array<[string, string]> = [
    ["kind", job.kind ?? "unreadable"],
    ["state", state],
    ["key", job.key],
    ["group", job.group ?? "-"],
    ["where", `${jobWhere(job)} (installation ${job.repo.installationId})`],
    ["head", `${job.headRef ?? "-"} ${job.headSha}`],
    ["base", job.baseRef || job.baseSha ? `${job.baseRef ?? "-"} ${job.baseSha ?? ""}`.trimEnd() : "-"],
    ["requested by", `@${job.requestedBy}${job.commentId !== null ? ` (comment ${job.commentId})` : ""}`],
    ["check run", job.checkRunId === null ? "-" : String(job.checkRunId)],
    ["worker", `${job.worker ?? "-"}${lease}`],
    ["created", `${formatUtc(job.createdAt)} UTC`],
    ["started", job.startedAt === null ? "-" : `${formatUtc(job.startedAt)} UTC`],
    ["finished", job.finishedAt === null ? "-" : `${formatUtc(job.finishedAt)} UTC`],
    ["reason", job.reason ?? "-"],
  ];
  if ("problem" in job) fields.push(["damaged", `${job.damage}: ${formatProblem(job.problem)}`]);
  const width = Math.max(...fields.map(([label]) => label.length));
  const indent = (json: string) => json.split("\n").join("\n  ");
  return [
    `Job ${job.id}`,
    ...fields.map(([label, value]) => `  ${label.padEnd(width)}  ${printable(value).replace(/\n/g, `\n  ${" ".repeat(width)}  `)}`),
    "  input",
    `  ${indent(renderJson(job.input))}`,
    "  result",
    `  ${indent(renderJson(job.result ?? null))}`,
    "",
  ].join("\n");
}
