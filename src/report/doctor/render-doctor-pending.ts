import { DOCTOR_MARKER } from "./render-doctor-comment.js";

/** The /doctor comment while the checks run; the results replace it. Pure. */
export function renderDoctorPending(params: { checks: number; requestedBy: string; at: Date }): string {
  return [
    DOCTOR_MARKER,
    "### 🩺 ⏳ mlops-bot doctor: checking…",
    "",
    `Running ${params.checks} checks, requested by ${params.requestedBy} at ${params.at.toISOString().replace("T", " ").slice(0, 16)} UTC; this comment shows the results in a minute or two. If it still says this later, the bot stopped before it finished: comment \`/doctor\` again.`,
  ].join("\n");
}
