import type { DeployJob } from "../../core/jobs/job.js";
import type { CheckConclusion } from "../../ports/code-host.js";
import { renderByteSize } from "../format/render-byte-size.js";
import { renderCodeCell, renderMarkdownCell } from "../format/render-markdown-cell.js";

/**
 * A finished promotion -> the `mlops-bot/deploy` check run: the revision that serves the model,
 * where the model and its lineage record are, the metrics and gates it passed, and how to roll
 * back (a traffic move to the revision that served before). Pure.
 */
export function renderDeployReport(job: Pick<DeployJob, "state" | "reason" | "headSha" | "pr" | "requestedBy" | "input" | "result">): {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
} {
  const { input, result } = job;
  // The bot's own values (service, revision, URIs, from its settings and Cloud Run) stay copyable;
  // only what the PR's pipeline wrote (metric keys and values) is neutralised.
  const code = (text: string) => `\`${text.replaceAll("`", "ˋ")}\``;
  const { run } = input;
  const sha = `\`${job.headSha.slice(0, 7)}\``;
  const served = job.state === "succeeded" && result?.revision;
  const conclusion: CheckConclusion = served ? "success" : job.state === "cancelled" ? "cancelled" : job.state === "timed_out" ? "timed_out" : "failure";
  const title = served ? `Serving ${job.headSha.slice(0, 7)} as ${result.revision}` : job.state === "cancelled" ? "Deploy cancelled" : "Not deployed";
  const why = input.trigger === "merge" ? `#${job.pr} was merged${input.mergeSha ? ` (\`${input.mergeSha.slice(0, 7)}\`)` : ""} with \`deploy.on_merge\`` : `\`/deploy\` from @${job.requestedBy}`;
  const lines = [`**${served ? "Promoted" : "Promoting"} the model of ${sha}**${job.pr !== null ? ` (#${job.pr})` : ""}: ${why}.`];
  if (!served && (result?.error ?? job.reason)) lines.push("", `❌ ${result?.error ?? job.reason}`);
  if (result) {
    lines.push("", "| | |", "| --- | --- |", `| Service | ${code(result.service)} |`);
    if (result.revision) lines.push(`| Revision | ${code(result.revision)}${served ? " (100% of traffic)" : ""} |`);
    if (result.previousRevision) lines.push(`| Served before | ${code(result.previousRevision)} |`);
    if (result.url) lines.push(`| URL | ${result.url} |`);
    if (result.modelUri) lines.push(`| Model | ${code(result.modelUri)} (${renderByteSize(run.modelBytes)}, sha256 \`${run.modelSha256.slice(0, 12)}…\`) |`);
    if (result.lineageUri) lines.push(`| Lineage | ${code(result.lineageUri)} |`);
  }
  lines.push(`| Trained by | job \`${run.jobId}\` on ${sha}${run.mlflowRunUrl ? ` · [MLflow run](${run.mlflowRunUrl})` : ""} |`);
  if (run.metrics.length) {
    lines.push("", "### Metrics", "", "| File | Metric | Value |", "| --- | --- | --- |");
    for (const m of run.metrics) lines.push(`| ${renderCodeCell(m.file)} | ${renderMarkdownCell(m.key || "(value)")} | ${renderMarkdownCell(String(m.value))} |`);
  }
  if (run.gates.length) lines.push("", "### Gates", "", ...run.gates.map((g) => `- ${renderMarkdownCell(g)}`));
  if (served && result.previousRevision) {
    const [, project, region, service] = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/.exec(result.service) ?? [];
    lines.push(
      "",
      "### Rollback",
      "",
      `The revision that served before still exists; to send all traffic back to it:`,
      "",
      "```sh",
      `gcloud run services update-traffic ${service ?? result.service} --region ${region ?? "<region>"} --project ${project ?? "<project>"} --to-revisions ${result.previousRevision}=100`,
      "```",
      "",
      "A later promotion moves traffic to its own revision again.",
    );
  }
  return { conclusion, title, summary: lines.join("\n") };
}
