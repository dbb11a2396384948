import type { Backlog, BacklogItem } from "./backlog.js";
import type { ItemReference } from "./item-reference.js";
import { normalizeItemNumber } from "./normalize-item-number.js";

export type ReferenceResolution =
  | { readonly kind: "matched"; readonly reference: ItemReference; readonly item: BacklogItem }
  /** Several items fit (`0.1` with both `[HUMAN] 0.1` and `[AI] 0.1`): nothing is ticked. */
  | { readonly kind: "ambiguous"; readonly reference: ItemReference; readonly candidates: readonly BacklogItem[] }
  /** No item fits; `candidates` are items with the same number under another role, if any. */
  | { readonly kind: "unknown"; readonly reference: ItemReference; readonly candidates: readonly BacklogItem[] };

/**
 * References (already narrowed to one issue) + that backlog -> for each reference,
 * the one item it names, or why not. Numbers compare part by part (`02.6` = `2.6`); roles
 * compare case-insensitively against the item's own or inherited role. Pure.
 */
export function resolveItemReferences(params: { references: readonly ItemReference[]; backlog: Backlog }): ReferenceResolution[] {
  const { references, backlog } = params;
  return references.map((reference): ReferenceResolution => {
    const number = normalizeItemNumber(reference.number);
    const sameNumber = backlog.items.filter((i) => i.number !== null && normalizeItemNumber(i.number) === number);
    const role = reference.role?.toUpperCase() ?? null;
    const candidates = role === null ? sameNumber : sameNumber.filter((i) => i.role === role);
    const [only] = candidates;
    if (candidates.length === 1 && only) return { kind: "matched", reference, item: only };
    if (candidates.length > 1) return { kind: "ambiguous", reference, candidates };
    return { kind: "unknown", reference, candidates: sameNumber };
  });
}
