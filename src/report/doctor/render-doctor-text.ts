import type { CheckResult } from "../../core/doctor/check-outcome.js";
import { STATUS_ICON, summarizeChecks } from "./doctor-summary.js";

/** The doctor's terminal output: a line per check, then what it tried, found and what to fix. Pure. */
export function renderDoctorText(results: readonly CheckResult[]): string {
  const out = [`mlops-bot doctor: ${summarizeChecks(results)}`, ""];
  for (const r of results) {
    out.push(`${STATUS_ICON[r.status]} ${r.title}`);
    out.push(...block("found", r.found));
    if (r.fix && r.status !== "ok") out.push(...block("fix", r.fix));
    if (r.status !== "ok") out.push(...block("tried", r.tried));
    out.push("");
  }
  return out.join("\n");
}

function block(label: string, text: string): string[] {
  return text.split("\n").map((line, i) => `   ${i === 0 ? `${label}:`.padEnd(7) : "       "}${line}`);
}
