import type { ItemReference } from "./item-reference.js";
import type { ItemTickPlan } from "./plan-item-ticks.js";

/** What became of a merged pull request's references to one issue of its repository. */
export type IssueTickOutcome =
  /** The plan was applied (or there was nothing to write: all done already, or unresolved). */
  | { readonly kind: "planned"; readonly issue: number; readonly plan: ItemTickPlan; readonly written: boolean }
  /** No issue with that number (or it was deleted). */
  | { readonly kind: "not-found"; readonly issue: number; readonly references: readonly ItemReference[] }
  | { readonly kind: "pull-request"; readonly issue: number; readonly references: readonly ItemReference[] }
  /** The issue is not a backlog under the repository's config (no label, or not one by content). */
  | { readonly kind: "not-backlog"; readonly issue: number; readonly references: readonly ItemReference[]; readonly label: string }
  /** The body was not read (past the backlog limits, or its parse was stopped): `problems` say why. */
  | { readonly kind: "unread"; readonly issue: number; readonly references: readonly ItemReference[]; readonly problems: readonly string[] }
  /** The body changed between read and write twice in a row; nothing was written. */
  | { readonly kind: "changed"; readonly issue: number; readonly references: readonly ItemReference[] };
