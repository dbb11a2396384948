import type { CheckResult, CheckStatus } from "../../core/doctor/check-outcome.js";

export const STATUS_ICON: Readonly<Record<CheckStatus, string>> = { ok: "✅", fail: "❌", warn: "⚠️", skip: "➖" };

/** "2 failed, 1 warning, 10 passed, 3 not applicable": the counts a report's title says. */
export function summarizeChecks(results: readonly CheckResult[]): string {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  const parts = [
    count("fail") ? `${count("fail")} failed` : "",
    count("warn") ? `${count("warn")} warning${count("warn") > 1 ? "s" : ""}` : "",
    `${count("ok")} passed`,
    count("skip") ? `${count("skip")} not applicable` : "",
  ];
  return parts.filter(Boolean).join(", ");
}
