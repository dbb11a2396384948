import type { DataCheck } from "./build-data-check.js";

export interface DataCheckVerdict {
  /** The check run's conclusion. */
  readonly conclusion: "success" | "neutral" | "failure";
  /** Why, in one short clause for the title; undefined for a plain success. */
  readonly because?: string | undefined;
}

/**
 * The data check's conclusion. It informs, it does not gate, so it fails only when the pull
 * request's own files are broken (DVC would fail on them too):
 * - `failure`: a dvc.lock, `.dvc`, dvc.yaml, params or metrics file at head cannot be parsed;
 * - `neutral`: nothing is DVC-tracked in either version, or the report is incomplete for reasons
 *   outside the head's files (a manifest not in the remote, an unsupported remote, a broken base);
 * - `success`: everything was read (with or without changes).
 */
export function judgeDataCheck(check: Pick<DataCheck, "roots" | "data" | "problems" | "broken">): DataCheckVerdict {
  if (check.roots.length === 0) return { conclusion: "neutral", because: "nothing is tracked by DVC" };
  const head = check.broken.head;
  if (head.length > 0) return { conclusion: "failure", because: `${list(head)} cannot be read at head` };
  const missing = check.data.notInCache.length;
  const problems = check.data.problems.length + check.problems.length;
  if (missing > 0 || problems > 0) {
    const parts = [missing > 0 ? `${missing} ${missing === 1 ? "manifest" : "manifests"} not in cache` : undefined, problems > 0 ? `${problems} ${problems === 1 ? "problem" : "problems"}` : undefined];
    return { conclusion: "neutral", because: `incomplete: ${parts.filter(Boolean).join(", ")}` };
  }
  return { conclusion: "success" };
}

function list(files: readonly string[]): string {
  const shown = files.slice(0, 2).join(", ");
  return files.length > 2 ? `${shown} and ${files.length - 2} more` : shown;
}
