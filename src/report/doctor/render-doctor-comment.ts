import type { CheckResult } from "../../core/doctor/check-outcome.js";
import { STATUS_ICON, summarizeChecks } from "./doctor-summary.js";

export const DOCTOR_MARKER = "<!-- mlops-bot:doctor -->";

/**
 * The /doctor answer: one comment (found again by its marker and edited on a re-run) with a line
 * per check, then, per check, what it tried, what it found and the fix. Pure.
 */
export function renderDoctorComment(params: { results: readonly CheckResult[]; requestedBy: string; repo: string; at: Date }): string {
  const { results } = params;
  const failed = results.filter((r) => r.status === "fail").length;
  const icon = failed ? "❌" : results.some((r) => r.status === "warn") ? "⚠️" : "✅";
  const lines = [
    DOCTOR_MARKER,
    `### 🩺 ${icon} mlops-bot doctor: ${summarizeChecks(results)}`,
    "",
    `Checked the deployment for ${params.repo} at ${params.at.toISOString().replace("T", " ").slice(0, 16)} UTC, requested by ${params.requestedBy}. Comment \`/doctor\` again to check again.`,
    "",
  ];
  for (const r of results) {
    lines.push(`- ${STATUS_ICON[r.status]} **${r.title}**: ${indent(safe(r.found))}`);
    if (r.fix && r.status !== "ok") lines.push(`  **Fix:** ${indent(safe(r.fix))}`);
    lines.push(`  <sub>Tried: ${safe(r.tried).replace(/\n/g, " ")}</sub>`);
  }
  return lines.join("\n");
}

/** Lines after the first, indented under their list item. */
function indent(text: string): string {
  return text.replace(/\n/g, "  \n  ");
}

/** No mention pings and no raw HTML from what services answered. */
function safe(text: string): string {
  return text.replace(/@(?=[\w-])/g, "@\u2060").replace(/</g, "&lt;");
}
