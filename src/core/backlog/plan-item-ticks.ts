import { err, ok, type Result } from "../result.js";
import type { Backlog, BacklogItem } from "./backlog.js";
import type { ItemReference } from "./item-reference.js";
import { parseBacklog } from "./parse-backlog.js";
import { resolveItemReferences, type ReferenceResolution } from "./resolve-item-references.js";
import { tickItems, type StaleItem } from "./tick-item.js";

export type UnresolvedReference = Extract<ReferenceResolution, { kind: "ambiguous" | "unknown" }>;

export interface ItemTickPlan {
  /** The body with every matched item ticked; equal to the input when there is nothing to tick. */
  readonly body: string;
  readonly backlog: Backlog;
  /** Items whose box this plan ticks, in document order. */
  readonly ticked: readonly BacklogItem[];
  /** Matched items that were done already. */
  readonly alreadyDone: readonly BacklogItem[];
  /** References that match several items or none: nothing is ticked for them. */
  readonly unresolved: readonly UnresolvedReference[];
}

/**
 * One issue's body + the references a merged pull request makes to it -> the body with the
 * matched items ticked (`tickItems`: every other character is kept), and what could not be
 * ticked. Two parses of the body, however many items, or none when `backlog` (the body read
 * elsewhere, e.g. in a parse worker: it must be `parseBacklog(body)`) is given. Pure; a `stale-item` error cannot happen
 * for a body parsed here, and is passed on rather than hidden.
 */
export function planItemTicks(params: { body: string; references: readonly ItemReference[]; backlog?: Backlog }): Result<ItemTickPlan, StaleItem> {
  const backlog = params.backlog ?? parseBacklog(params.body);
  const resolutions = resolveItemReferences({ references: params.references, backlog });
  const matched = new Map<number, BacklogItem>();
  const unresolved: UnresolvedReference[] = [];
  for (const r of resolutions) {
    if (r.kind === "matched") matched.set(r.item.index, r.item);
    else unresolved.push(r);
  }
  const items = [...matched.values()].sort((a, b) => a.box.start - b.box.start);
  const toTick = items.filter((i) => i.state !== "done");
  const body = tickItems(params.body, toTick, backlog);
  if (!body.ok) return err(body.error);
  return ok({ body: body.value, backlog, ticked: toTick, alreadyDone: items.filter((i) => i.state === "done"), unresolved });
}
