import { commandSpecs, isCommandName, type CommandName } from "./command-specs.js";
import { overridePathId, parseOverride, type Override } from "../overrides/parse-override.js";
import { findHiddenLines } from "../markdown/scan-blocks.js";
import { tokenizeArguments } from "./tokenize-arguments.js";

export interface SlashCommand {
  readonly name: CommandName;
  /** Position among the slash lines of the comment (0-based): with the comment id, the idempotency key. */
  readonly index: number;
  /** 1-based line in the comment. */
  readonly line: number;
  /** `key=value` overrides, keys as exact paths (`"a.b"=1` is the one key `a.b`). */
  readonly assignments: readonly Override[];
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | true>>;
  readonly raw: string;
}

export interface SlashCommandError {
  readonly index: number;
  readonly line: number;
  readonly raw: string;
  /** The command name as written, when it is a known one (for its usage line). */
  readonly command?: CommandName | undefined;
  readonly message: string;
}

export interface ParsedComment {
  readonly commands: readonly SlashCommand[];
  readonly errors: readonly SlashCommandError[];
}

const slashLine = /^ {0,3}\/([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(.*))?$/;

/**
 * True when some line of the comment looks like a command: the cheap test (one linear scan, no
 * markdown) that decides whether a comment is worth parsing at all, off the bot's thread.
 */
export function mayHoldCommands(body: string): boolean {
  return body.split(/\r?\n|\r/).some((text) => slashLine.test(text.trimEnd()));
}

/**
 * Comment body -> the slash commands in it, and what is wrong with the rest. A command stands
 * at the start of a line (up to 3 spaces of indent), outside code, quoted lines and HTML
 * comments, as a CommonMark reader finds them (`findHiddenLines`, linear). Several per comment are
 * allowed. Pure, never throws.
 */
export function parseSlashCommands(body: string): ParsedComment {
  if (!mayHoldCommands(body)) return { commands: [], errors: [] };
  const lines = body.split(/\r?\n|\r/);
  const candidates = lines.flatMap((text, i) => (slashLine.test(text.trimEnd()) ? [i + 1] : []));
  // Most comments have no slash line: they are not parsed as markdown at all.
  if (candidates.length === 0) return { commands: [], errors: [] };
  const hidden = findHiddenLines(lines);
  const commands: SlashCommand[] = [];
  const errors: SlashCommandError[] = [];
  let index = 0;
  for (const line of candidates) {
    if (hidden.has(line)) continue;
    const text = lines[line - 1]!;
    const match = slashLine.exec(text.trimEnd())!;
    const written = match[1]!;
    const name = written.toLowerCase();
    const at = { index: index++, line, raw: text.trim() };
    if (!isCommandName(name)) {
      errors.push({ ...at, message: `\`/${written}\` is not a command I know` });
      continue;
    }
    const parsed = parseArguments(name, match[2] ?? "");
    if ("message" in parsed) errors.push({ ...at, command: name, message: parsed.message });
    else commands.push({ ...at, name, ...parsed });
  }
  return { commands, errors };
}

function parseArguments(
  name: CommandName,
  text: string,
): { message: string } | Pick<SlashCommand, "assignments" | "positionals" | "flags"> {
  const spec = commandSpecs[name];
  const tokens = tokenizeArguments(text);
  if (!tokens.ok) return { message: tokens.error };
  const assignments: Override[] = [];
  const seen = new Set<string>();
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (const { text: token, raw } of tokens.value) {
    if (token.startsWith("--")) {
      const [flag = "", ...rest] = token.slice(2).split("=");
      if (!spec.flags.includes(flag)) {
        const known = spec.flags.length ? ` (it takes ${spec.flags.map((f) => `--${f}`).join(", ")})` : "";
        return { message: `\`/${name}\` has no option \`--${flag}\`${known}` };
      }
      flags[flag] = rest.length ? rest.join("=") : true;
      continue;
    }
    const assignment = parseOverride(raw);
    if (assignment) {
      if (!spec.assignments) return { message: `\`/${name}\` takes no \`key=value\` arguments, got \`${token}\`` };
      if (!assignment.ok) return { message: assignment.error };
      const id = overridePathId(assignment.value.path);
      if (seen.has(id)) return { message: `\`${assignment.value.key}\` is given twice` };
      seen.add(id);
      assignments.push(assignment.value);
      continue;
    }
    if (!spec.positionals) {
      const what = spec.assignments ? ", write overrides as `key=value`" : "";
      return { message: `\`/${name}\` takes no argument \`${token}\`${what}` };
    }
    positionals.push(token);
  }
  return { assignments, positionals, flags };
}
