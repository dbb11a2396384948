import type { IssueTickOutcome } from "../../core/backlog/issue-tick-outcome.js";
import type { ItemReference } from "../../core/backlog/item-reference.js";
import { escapeBacklogText, renderBacklogItemLabel } from "./render-backlog-item-label.js";
import { BACKLOG_REFERENCES_MARKER, renderBacklogUnresolvedReferences } from "./render-backlog-unresolved-references.js";

/**
 * The one comment on a merged pull request whose item references could not all be ticked:
 * ambiguous and unknown references with their candidates, issues that are missing, pull
 * requests or not backlogs, issues that kept changing, and references to other repositories.
 * When there is such a comment, it also says what was ticked. Null when everything named was
 * ticked (or done already): then the issue's own edit history says enough.
 */
export function renderBacklogTickNotes(params: { outcomes: readonly IssueTickOutcome[]; foreign: readonly ItemReference[] }): string | null {
  const { outcomes, foreign } = params;
  const sections: string[] = [];
  for (const outcome of outcomes) {
    switch (outcome.kind) {
      case "planned": {
        const { unresolved, backlog } = outcome.plan;
        if (unresolved.length === 0) break;
        const text = renderBacklogUnresolvedReferences({ issueNumber: outcome.issue, resolutions: unresolved, phases: backlog.phases });
        sections.push(text.replace(`${BACKLOG_REFERENCES_MARKER}\n`, ""));
        break;
      }
      case "not-found":
        sections.push(`There is no issue #${outcome.issue} in this repository, so ${refs(outcome.references)} ${was(outcome.references)} not ticked.`);
        break;
      case "pull-request":
        sections.push(`#${outcome.issue} is a pull request, not a backlog issue, so ${refs(outcome.references)} ${was(outcome.references)} not ticked.`);
        break;
      case "not-backlog":
        sections.push(
          `#${outcome.issue} is not a backlog issue (it has no **${escapeBacklogText(outcome.label)}** label), so ${refs(outcome.references)} ${was(outcome.references)} not ticked. Add the label and tick ${outcome.references.length === 1 ? "it" : "them"} by hand.`,
        );
        break;
      case "unread":
        sections.push(`I did not read #${outcome.issue} as a backlog, so ${refs(outcome.references)} ${was(outcome.references)} not ticked: ${outcome.problems.join(" ")}`);
        break;
      case "changed":
        sections.push(`#${outcome.issue} was edited while I was ticking it, twice, so I left it alone: tick ${refs(outcome.references)} by hand.`);
        break;
    }
  }
  if (foreign.length > 0) {
    sections.push(`I only tick items in this repository's issues, so ${refs(foreign)} ${was(foreign)} not ticked.`);
  }
  if (sections.length === 0) return null;
  const ticked = outcomes.flatMap((o) =>
    o.kind === "planned" && o.written ? o.plan.ticked.map((item) => `#${o.issue} ${renderBacklogItemLabel(item)}`) : [],
  );
  if (ticked.length > 0) sections.push(["Ticked:", ...ticked.map((t) => `- ${t}`)].join("\n"));
  return [BACKLOG_REFERENCES_MARKER, sections.join("\n\n")].join("\n");
}

function refs(references: readonly ItemReference[]): string {
  return references.map((r) => `\`${r.repo ?? ""}#${r.issue} ${r.role ? `[${r.role}] ` : ""}${r.number}\``).join(", ");
}

function was(references: readonly ItemReference[]): string {
  return references.length === 1 ? "was" : "were";
}
