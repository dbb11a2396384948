import { commandSpecs, isCommandName, type CommandName } from "./command-specs.js";
import { tokenizeArguments } from "./tokenize-arguments.js";

export interface SlashCommand {
  readonly name: CommandName;
  /** Position among the slash lines of the comment (0-based): with the comment id, the idempotency key. */
  readonly index: number;
  /** 1-based line in the comment. */
  readonly line: number;
  readonly assignments: ReadonlyArray<{ readonly key: string; readonly value: string }>;
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
const fenceOpen = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Comment body -> the slash commands in it, and what is wrong with the rest. A command stands
 * at the start of a line (up to 3 spaces of indent), outside fenced code, block quotes and
 * HTML comments. Several per comment are allowed. Pure, never throws.
 */
export function parseSlashCommands(body: string): ParsedComment {
  const commands: SlashCommand[] = [];
  const errors: SlashCommandError[] = [];
  let fence: { char: string; length: number } | undefined;
  let inHtmlComment = false;
  let index = 0;

  const lines = body.split(/\r?\n|\r/);
  lines.forEach((text, i) => {
    const line = i + 1;
    if (fence) {
      const close = fenceOpen.exec(text);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length && text.trim() === close[1]) fence = undefined;
      return;
    }
    if (inHtmlComment) {
      if (text.includes("-->")) inHtmlComment = false;
      return;
    }
    const open = fenceOpen.exec(text);
    if (open?.[1]) {
      fence = { char: open[1][0] ?? "`", length: open[1].length };
      return;
    }
    if (/^ {0,3}<!--/.test(text) && !text.includes("-->")) {
      inHtmlComment = true;
      return;
    }
    const match = slashLine.exec(text.trimEnd());
    if (!match?.[1]) return;
    const written = match[1];
    const name = written.toLowerCase();
    const raw = text.trim();
    const at = { index: index++, line, raw };
    if (!isCommandName(name)) {
      errors.push({ ...at, message: `\`/${written}\` is not a command I know` });
      return;
    }
    const parsed = parseArguments(name, match[2] ?? "");
    if ("message" in parsed) errors.push({ ...at, command: name, message: parsed.message });
    else commands.push({ ...at, name, ...parsed });
  });
  return { commands, errors };
}

function parseArguments(
  name: CommandName,
  text: string,
): { message: string } | Pick<SlashCommand, "assignments" | "positionals" | "flags"> {
  const spec = commandSpecs[name];
  const tokens = tokenizeArguments(text);
  if (!tokens.ok) return { message: tokens.error };
  const assignments: Array<{ key: string; value: string }> = [];
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (const token of tokens.value) {
    if (token.startsWith("--")) {
      const [flag = "", ...rest] = token.slice(2).split("=");
      if (!spec.flags.includes(flag)) {
        const known = spec.flags.length ? ` (it takes ${spec.flags.map((f) => `--${f}`).join(", ")})` : "";
        return { message: `\`/${name}\` has no option \`--${flag}\`${known}` };
      }
      flags[flag] = rest.length ? rest.join("=") : true;
      continue;
    }
    const eq = token.indexOf("=");
    if (eq > 0) {
      if (!spec.assignments) return { message: `\`/${name}\` takes no \`key=value\` arguments, got \`${token}\`` };
      const key = token.slice(0, eq);
      if (!/^[A-Za-z_][\w.-]*$/.test(key)) return { message: `\`${key}\` is not a valid parameter name` };
      if (assignments.some((a) => a.key === key)) return { message: `\`${key}\` is given twice` };
      assignments.push({ key, value: token.slice(eq + 1) });
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
