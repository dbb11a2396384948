import type { BacklogPhase } from "../../core/backlog/backlog.js";
import type { ItemReference } from "../../core/backlog/item-reference.js";
import type { ReferenceResolution } from "../../core/backlog/resolve-item-references.js";
import { renderBacklogItemLabel } from "./render-backlog-item-label.js";

/** First line of the comment listing item references the bot could not tick. */
export const BACKLOG_REFERENCES_MARKER = "<!-- mlops-bot:backlog-references -->";

type Unresolved = Extract<ReferenceResolution, { kind: "ambiguous" | "unknown" }>;

/**
 * The comment on a merged pull request whose "Completes #12 …" names items that match
 * several items of the issue (listing the candidates and how to pick one) or none.
 */
export function renderBacklogUnresolvedReferences(params: { issueNumber: number; resolutions: readonly Unresolved[]; phases: readonly BacklogPhase[] }): string {
  const { issueNumber, resolutions, phases } = params;
  const lines = [BACKLOG_REFERENCES_MARKER, `I could not tick ${resolutions.length === 1 ? "this item" : "these items"} of #${issueNumber}:`, ""];
  for (const r of resolutions) {
    const written = `\`${refText(r.reference)}\``;
    if (r.kind === "ambiguous") {
      lines.push(`- ${written} matches ${r.candidates.length} items:`, ...r.candidates.map((c) => `  - ${renderBacklogItemLabel(c, phases)}`));
      const roles = new Set(r.candidates.map((c) => c.role));
      const role = r.candidates.find((c) => c.role !== null)?.role;
      lines.push(
        roles.size === r.candidates.length && role
          ? `  Name the role to pick one, e.g. \`Completes #${issueNumber} [${role}] ${r.reference.number}\`.`
          : "  They share role and number, so I cannot tell them apart: tick the right one in the issue by hand, or renumber them.",
      );
    } else if (r.candidates.length > 0) {
      lines.push(`- ${written} matches no item; items numbered ${r.reference.number}: ${r.candidates.map((c) => renderBacklogItemLabel(c)).join(", ")}.`);
    } else {
      lines.push(`- ${written} matches no item in #${issueNumber}.`);
    }
  }
  return lines.join("\n");
}

function refText(reference: ItemReference): string {
  return `${reference.repo ?? ""}#${reference.issue} ${reference.role ? `[${reference.role}] ` : ""}${reference.number}`;
}
