import { parseArgs, type ParseArgsConfig } from "node:util";

/** The `options` of `node:util` `parseArgs` (its type has no exported name). */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** What one command accepts. Option names are the long names; `short` letters as in `parseArgs`. */
export interface ArgsSpec<O extends ParseArgsOptionsConfig> {
  readonly options: O;
  /** Words that are not options (FILE, key=value): allowed or not. */
  readonly positionals?: boolean;
  /** Everything after `--` is handed over as is (a command line to run). Else it is positionals. */
  readonly rest?: boolean;
  /** What a string option's value is, for "--issue needs an issue number, got nothing". */
  readonly valueNames?: Partial<Record<keyof O & string, string>>;
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"];

export interface ParsedArgs<O extends ParseArgsOptionsConfig> {
  readonly values: Values<O>;
  readonly positionals: readonly string[];
  /** The words after `--` when the spec takes a `rest`; else empty. */
  readonly rest: readonly string[];
  /** `--help` or `-h` was given (every command takes it). */
  readonly help: boolean;
}

/**
 * The one argument parser of every `mlops-bot` command: `node:util` `parseArgs`, with our own
 * messages instead of its (which name internals like "argument is ambiguous"). It reads the
 * tokens leniently first and says what is wrong in the words of the usage text; only arguments
 * that pass are parsed strictly, for typed values.
 */
export function parseCliArgs<O extends ParseArgsOptionsConfig>(args: readonly string[], spec: ArgsSpec<O>): { ok: true; value: ParsedArgs<O> } | { ok: false; error: string } {
  const options = { ...spec.options, help: { type: "boolean", short: "h" } } as const satisfies ParseArgsOptionsConfig;
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const terminator = tokens.find((t) => t.kind === "option-terminator")?.index;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      const afterTerminator = terminator !== undefined && token.index > terminator;
      if (afterTerminator && spec.rest) continue;
      if (!spec.positionals) return { ok: false, error: `unexpected argument ${JSON.stringify(token.value)}${afterTerminator ? " after --" : ""}` };
      continue;
    }
    // A known short option's token carries its long name; an unknown one, the letter.
    const name = token.name;
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    const known = option !== undefined && (token.rawName.startsWith("--") || option.short === token.rawName.slice(1));
    if (!known) return { ok: false, error: `unknown option ${JSON.stringify(token.rawName)}` };
    if (name === "help") return { ok: true, value: { values: {} as Values<O>, positionals: [], rest: [], help: true } };
    if (option.type === "boolean" && token.value !== undefined) return { ok: false, error: `${token.rawName} takes no value (got ${JSON.stringify(token.value)})` };
    const missing = token.value === undefined || (!token.inlineValue && token.value.length > 1 && token.value.startsWith("-"));
    if (option.type === "string" && missing) {
      const what = (spec.valueNames as Record<string, string | undefined> | undefined)?.[name] ?? "a value";
      return { ok: false, error: `${token.rawName} needs ${what}, got ${token.value === undefined ? "nothing" : JSON.stringify(token.value)}` };
    }
  }
  const cut = terminator === undefined || !spec.rest ? args.length : terminator;
  const parsed = parseArgs({ args: args.slice(0, cut), options: spec.options, strict: true, allowPositionals: true });
  return { ok: true, value: { values: parsed.values, positionals: parsed.positionals, rest: cut < args.length ? args.slice(cut + 1) : [], help: false } };
}
