import { parseParamPath } from "../params/param-path.js";
import { err, ok, type Result } from "../result.js";

/** An override as asked: its key (as written), its exact key path, and its value (unquoted). */
export interface Override {
  readonly key: string;
  readonly path: readonly string[];
  readonly value: string;
}

/**
 * One `key=value` argument, as written (quotes included) -> an override; undefined when it is
 * not an assignment (no `=` outside quotes, or nothing before it). The key is a dotted path whose
 * segments may be quoted to hold dots (`"a.b"=1`, `train."x.y"=2`); the value may be quoted to
 * hold blanks (`msg="a b"`). The same for `/train` and `mlops-bot train`.
 */
export function parseOverride(raw: string): Result<Override, string> | undefined {
  const eq = firstUnquoted(raw, "=");
  if (eq <= 0) return undefined;
  const keyText = raw.slice(0, eq);
  const path = parseParamPath(keyText);
  if (!path.ok) return err(path.error);
  if (path.value.some((segment) => segment.includes("\n"))) return err(`\`${keyText}\` is not a valid parameter name`);
  return ok({ key: keyText, path: path.value, value: unquote(raw.slice(eq + 1)) });
}

/** The same key path, whatever its spelling (`a.b` and `"a".b`): for finding repeated keys. */
export function overridePathId(path: readonly string[]): string {
  return JSON.stringify(path);
}

function firstUnquoted(text: string, char: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === char) return i;
  }
  return -1;
}

/** Removes quote characters the way a shell-like tokenizer does (`"a b"` -> `a b`, `'x'` -> `x`). */
function unquote(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else out += c;
  }
  return out;
}
