import { err, ok, type Result } from "../result.js";
import type { BacklogItem } from "./backlog.js";
import { describeItem } from "./describe-item.js";
import { parseBacklog } from "./parse-backlog.js";

export interface StaleItem {
  readonly kind: "stale-item";
  readonly message: string;
}

/**
 * Ticks one item: its box becomes `[x]`; nothing else in the body changes, byte for byte
 * (CRLF line endings included). An item already done (`[x]`, `[X]`) is left as it is, so the
 * result equals `body`. A skipped mark (`[⏭️]`, `[-]`) becomes `[x]`: the work was done
 * after all. `item` must come from `parseBacklog(body)` of this very body; if the body has
 * changed since (another edit moved or removed the item) the result is a `stale-item` error.
 */
export function tickItem(body: string, item: BacklogItem): Result<string, StaleItem> {
  return setMark(body, item, "x");
}

/** Unticks one item: its box becomes `[ ]`, nothing else changes. See `tickItem`. */
export function untickItem(body: string, item: BacklogItem): Result<string, StaleItem> {
  return setMark(body, item, " ");
}

function setMark(body: string, item: BacklogItem, mark: "x" | " "): Result<string, StaleItem> {
  const current = parseBacklog(body).items.find(
    (i) => i.box.start === item.box.start && i.box.end === item.box.end && i.mark === item.mark && i.text === item.text,
  );
  if (!current) {
    return err({
      kind: "stale-item",
      message: `Item ${describeItem(item)} (line ${item.line}) is no longer where it was; read the issue again and retry.`,
    });
  }
  const already = mark === "x" ? current.mark === "x" || current.mark === "X" : current.mark.trim() === "";
  if (already) return ok(body);
  return ok(body.slice(0, current.box.start + 1) + mark + body.slice(current.box.end - 1));
}
