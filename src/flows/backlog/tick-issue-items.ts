import type { RepoConfig } from "../../config/repo-config-schema.js";
import { isBacklogIssue } from "../../core/backlog/is-backlog-issue.js";
import type { IssueTickOutcome } from "../../core/backlog/issue-tick-outcome.js";
import type { ItemReference } from "../../core/backlog/item-reference.js";
import { planItemTicks } from "../../core/backlog/plan-item-ticks.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import { formatProblem } from "../../core/problem.js";
import type { CodeHost } from "../../ports/code-host.js";
import type { Logger } from "../../ports/logger.js";

const ATTEMPTS = 2;

/**
 * Ticks the items that a merged pull request's references name in one issue of this
 * repository. GitHub has no compare-and-swap for issue bodies, so the issue is read, the ticks
 * are planned on that body, and the issue is read again right before the write: the write goes
 * ahead only if the body is still the one planned on, so a person's edit in between is never
 * overwritten. If it changed, the ticks are planned again on the fresh body, once.
 *
 * API calls: one read, then nothing when every named item is done already (or unresolved), else
 * a second read and the write (one more read per retry).
 */
export async function tickIssueItems(params: {
  host: CodeHost;
  issue: number;
  references: readonly ItemReference[];
  config: Pick<RepoConfig["backlog"], "label" | "detect">;
  /** Reads the issue body as a backlog: the bot's parse workers. */
  parse: ParseFile;
  log: Logger;
}): Promise<IssueTickOutcome> {
  const { host, references, config, log } = params;
  const number = params.issue;
  let issue = await host.getIssue(number);
  if (!issue) return { kind: "not-found", issue: number, references };
  if (issue.isPullRequest) return { kind: "pull-request", issue: number, references };
  for (let attempt = 1; ; attempt++) {
    const read = await params.parse({ kind: "backlog", file: `issue #${number}`, text: issue.body });
    if (!read.ok) {
      log.warn({ issue: number, problems: read.error }, "backlog issue body not read: it is past the bot's limits");
      return { kind: "unread", issue: number, references, problems: read.error.map(formatProblem) };
    }
    const planned = planItemTicks({ body: issue.body, references, backlog: read.value });
    if (!planned.ok) {
      log.warn({ issue: number, problem: planned.error.message }, "ticks could not be planned on the body just read");
      return { kind: "changed", issue: number, references };
    }
    const plan = planned.value;
    if (!isBacklogIssue({ labels: issue.labels, backlog: plan.backlog, config })) return { kind: "not-backlog", issue: number, references, label: config.label };
    if (plan.body === issue.body) return { kind: "planned", issue: number, plan, written: false };
    const fresh = await host.getIssue(number);
    if (!fresh) return { kind: "not-found", issue: number, references };
    if (fresh.body === issue.body) {
      await host.updateIssue(number, { body: plan.body });
      log.info({ issue: number, ticked: plan.ticked.map((i) => i.line) }, "backlog items ticked");
      return { kind: "planned", issue: number, plan, written: true };
    }
    if (attempt >= ATTEMPTS) return { kind: "changed", issue: number, references };
    log.info({ issue: number }, "the issue was edited while ticking: planning again on its new body");
    issue = fresh;
  }
}
