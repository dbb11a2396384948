import type { Problem } from "../problem.js";
import { err, type Result } from "../result.js";

/**
 * Runs a parser and turns anything it throws into a problem naming the file: the last line of
 * defence of "parsers never throw" (the fuzz suite checks that it is never needed).
 */
export function guardParser<T>(file: string, parse: () => Result<T, Problem[]>): Result<T, Problem[]> {
  try {
    return parse();
  } catch (e) {
    const what = e instanceof RangeError ? "it is too deeply nested or too large to read" : `the bot's reader failed (${e instanceof Error ? e.name : "error"})`;
    return err([{ file, message: `could not be read: ${what}` }]);
  }
}
