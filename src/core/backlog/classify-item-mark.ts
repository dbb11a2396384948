import { repairMojibake } from "../text/repair-mojibake.js";
import type { BacklogItem, ItemState, LegendEntry, MarkRepair, StatusMeaning } from "./backlog.js";
import { normalizeMarker, STATUS_EMOJI } from "./status-emoji.js";

export interface ItemMark {
  readonly state: ItemState;
  readonly source: BacklogItem["markSource"];
  /** The mark was mis-encoded (`‚è≠Ô∏è`) and is classified as what it was (`⏭️`). */
  readonly repaired?: MarkRepair;
}

/** Skip marks every backlog understands, besides the skipped status emoji (`⏭️`, `🚫`). */
export const SKIP_MARKS: readonly string[] = ["-", "~"];

const letterOrDigit = /[\p{L}\p{N}]/u;

/**
 * The characters between an item's brackets -> its state. `[ ]` is open and `[x]`/`[X]` done,
 * whatever a legend says (also inside strikethrough, `~~[ ] …~~`, where GFM sees no box). Other marks: the legend first, then the built-in marks
 * (`[-]`, `[~]` and the status emoji of `STATUS_EMOJI`: `[⏭️]` skipped, `[✅]` done, `[🔄]`
 * open, …). A mark that means nothing but was mis-encoded on its way (`[‚è≠Ô∏è]`: UTF-8 read as
 * Mac Roman) is read as what it was (`[⏭️]`, skipped; see `repairMojibake`), with `repaired`
 * set. A short unknown symbol (`[?]`, `[🤔]`) is an item that counts as open, so an
 * issue never closes on a mark nobody defined; letters or digits (`[AI]`, `[1]`) make no item.
 */
export function classifyItemMark(params: { mark: string; checkbox: boolean; legend: readonly LegendEntry[] }): ItemMark | null {
  const { mark, checkbox, legend } = params;
  const marker = normalizeMarker(mark);
  // `~~[ ] …~~` and `~~[x] …~~` are boxes GFM cannot see inside the strikethrough.
  if (checkbox || marker === "" || marker === "x" || marker === "X") return { state: marker === "x" || marker === "X" ? "done" : "open", source: "checkbox" };
  const known = classifyKnownMark(marker, legend);
  if (known) return known;
  const repaired = repairMojibake(mark);
  const read = repaired ? classifyKnownMark(normalizeMarker(repaired.text), legend) : null;
  if (repaired && read) return { ...read, repaired: { written: mark, read: repaired.text, encoding: repaired.encoding } };
  if (letterOrDigit.test(marker) || [...marker].length > 8) return null;
  return { state: "open", source: "unknown" };
}

/** A mark the legend or the built-in marks define; null for any other. */
function classifyKnownMark(marker: string, legend: readonly LegendEntry[]): ItemMark | null {
  const fromLegend = legend.find((e) => e.marker === marker);
  if (fromLegend) return { state: stateOf(fromLegend.meaning), source: "legend" };
  if (SKIP_MARKS.includes(marker)) return { state: "skipped", source: "builtin" };
  for (const [meaning, emoji] of Object.entries(STATUS_EMOJI) as Array<[StatusMeaning, readonly string[]]>) {
    if (emoji.includes(marker)) return { state: stateOf(meaning), source: "builtin" };
  }
  return null;
}

function stateOf(meaning: StatusMeaning): ItemState {
  return meaning === "done" ? "done" : meaning === "skipped" ? "skipped" : "open";
}
