import type { TypedOverride } from "../../core/overrides/validate-overrides.js";
import { neutralizeUserText } from "../format/neutralize-user-text.js";

/** `` `train.lr=0.05`, `model="rf"` ``: overrides as asked, values from the comment neutralised. */
export function renderOverrides(overrides: ReadonlyArray<Pick<TypedOverride, "key" | "value">>): string {
  return overrides.map((o) => `\`${neutralizeUserText(`${o.key}=${String(o.value)}`).replaceAll("`", "ˋ")}\``).join(", ");
}
