import type { Job } from "../../core/jobs/job.js";
import type { ImageBuildOutcome } from "../../core/images/image-build-outcome.js";
import type { CheckConclusion } from "../../ports/code-host.js";
import { renderByteSize } from "../format/render-byte-size.js";
import { formatDuration } from "../format/format-duration.js";
import { renderUntrustedCode } from "../format/render-untrusted-text.js";

/**
 * A finished build job -> the `mlops-bot/build` check run: one row per image (tag, digest, size,
 * duration); a failed image names the failing Dockerfile step and shows its last lines. Pure.
 */
export function renderBuildReport(params: {
  job: Pick<Job, "state" | "reason" | "headSha" | "requestedBy" | "pr" | "headRef">;
  outcomes: readonly ImageBuildOutcome[];
}): { conclusion: CheckConclusion; title: string; summary: string } {
  const { job, outcomes } = params;
  const failed = outcomes.filter((o) => !o.ok);
  const conclusion: CheckConclusion =
    job.state === "cancelled" ? "cancelled" : job.state === "timed_out" ? "timed_out" : job.state === "succeeded" && failed.length === 0 ? "success" : "failure";
  const built = outcomes.length - failed.length;
  const title =
    job.state === "cancelled"
      ? "Build cancelled"
      : failed.length
        ? `${failed.map((f) => f.name).join(", ")} failed${failed[0]?.failedStep ? ` at ${failed[0].failedStep}` : ""}`
        : job.state === "succeeded"
          ? `${built} image${built === 1 ? "" : "s"} built and pushed`
          : `Build failed${job.reason ? `: ${firstSentence(job.reason)}` : ""}`;
  // A branch name may hold backticks, `<`, `@`: fenced like any untrusted text.
  const where = job.pr ? ` for #${job.pr}` : job.headRef ? ` on ${renderUntrustedCode(job.headRef, { max: 100 })}` : "";
  const lines = [`**Built \`${job.headSha.slice(0, 7)}\`**${where}, requested by @${job.requestedBy}.`];
  if (job.reason && job.state !== "succeeded") lines.push("", job.reason);
  if (outcomes.length) {
    lines.push("", "| Image | Tags | Digest | Size | Time |", "| --- | --- | --- | --- | --- |");
    for (const o of outcomes) {
      const tags = o.tags.map((t) => `\`${t}\``).join("<br>");
      lines.push(
        o.ok
          ? `| ${o.name} | ${tags} | \`${o.digest}\` | ${renderByteSize(o.sizeBytes)} | ${formatDuration(o.durationMs)} |`
          : `| ${o.name} | ${tags} | ❌ not built | - | ${formatDuration(o.durationMs)} |`,
      );
    }
  }
  for (const f of failed) {
    if (f.ok) continue;
    lines.push("", `### ❌ ${f.name}`, "", f.failedStep ? `Failed at \`${f.failedStep}\`: ${f.error}` : f.error, "", "```", ...f.logTail.slice(-25).map((l) => l.replace(/```/g, "ˋˋˋ")), "```");
  }
  return { conclusion, title, summary: lines.join("\n") };
}

/** A title's share of a reason: its first sentence, at most 120 characters (the summary has it whole). */
function firstSentence(reason: string): string {
  const end = reason.search(/[.!?](?:\s|$)/);
  const sentence = end < 0 ? reason : reason.slice(0, end);
  return sentence.length > 120 ? `${sentence.slice(0, 119)}…` : sentence;
}
