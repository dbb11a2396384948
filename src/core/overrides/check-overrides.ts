import type { ParseFile } from "../limits/parse-repository-file.js";
import { formatProblem } from "../problem.js";
import { err, type Result } from "../result.js";
import type { Override } from "./parse-override.js";
import { validateOverrides, type TypedOverride } from "./validate-overrides.js";

/** Why overrides were refused: one line, then the details (one per problem). */
export interface OverrideRefusal {
  readonly headline: string;
  readonly details: readonly string[];
}

/** A configured params file at the commit the overrides are for. */
export interface ParamsFileAt {
  /** Its repository path. */
  readonly file: string;
  /** Its size in bytes, when known before reading it (git knows it): a file over the cap is never read. */
  readonly bytes: number | undefined;
  /** Its text; undefined when the commit has no such file. */
  read(): Promise<string | undefined>;
}

/**
 * The one override check of the bot (`/train`) and the CLI (`mlops-bot train`): every params
 * file must exist at the commit, be under `maxBytes` (the params cap of the parse limits) and
 * parse (through `parse`: the bot's parse workers, the CLI's own thread), then
 * `validateOverrides`. `at` names the commit in messages (`abc1234`).
 */
export async function checkOverrides(params: {
  overrides: readonly Override[];
  files: readonly ParamsFileAt[];
  parse: ParseFile;
  at: string;
  maxBytes: number;
}): Promise<Result<TypedOverride[], OverrideRefusal>> {
  if (params.overrides.length === 0) return { ok: true, value: [] };
  const large = params.files.find((f) => (f.bytes ?? 0) > params.maxBytes);
  if (large) {
    const headline = `\`${large.file}\` is ${large.bytes} bytes at \`${params.at}\`, over the ${params.maxBytes}-byte limit for params files, so overrides cannot be checked. Nothing was run.`;
    return err({ headline, details: [] });
  }
  const texts = await Promise.all(params.files.map(async (f) => ({ file: f.file, text: await f.read() })));
  const missing = texts.find((f) => f.text === undefined);
  if (missing) return err({ headline: `\`${missing.file}\` does not exist at \`${params.at}\`, so overrides cannot be checked. Nothing was run.`, details: [] });
  const parsed = await Promise.all(texts.map(async (f) => ({ file: f.file, outcome: await params.parse({ kind: "params", file: f.file, text: f.text! }) })));
  const broken = parsed.find((p) => !p.outcome.ok);
  if (broken && !broken.outcome.ok) return err({ headline: `\`${broken.file}\` cannot be read, so nothing was run:`, details: broken.outcome.error.map(formatProblem) });
  const files = parsed.map((p) => ({ file: p.file, leaves: p.outcome.ok ? p.outcome.value.paramLeaves : [] }));
  const checked = validateOverrides({ overrides: params.overrides, files });
  if (checked.ok) return checked;
  return err({ headline: `Nothing was run: ${checked.error.length > 2 ? "some overrides are" : "an override is"} not valid.`, details: checked.error });
}
