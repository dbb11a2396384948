import { Composer, Lexer, LineCounter, Parser, YAMLParseError, type Document } from "yaml";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { checkYamlDocument } from "./check-yaml-document.js";
import { readPlainYaml } from "./read-plain-yaml.js";

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export type YamlLimits = Pick<ParseLimits, "maxDepth" | "maxAliases" | "maxNodes">;

/**
 * The `yaml` library's composer reads any YAML but takes 2-7 µs per character here (a 1 MB file
 * took 4-8 s): it reads only what the fast reader does not take (tags, `?` keys, tabs, invalid
 * YAML for its error message) in files up to this many characters.
 */
export const FULL_YAML_MAX_CHARS = 32 * 1024;

/** Thrown inside the token stream when the nesting gets too deep; turned into a problem. */
class TooDeep extends Error {
  constructor(readonly offset: number) {
    super("too deep");
  }
}

/**
 * YAML 1.2 text -> document with line numbers, or the problems (file, line, column). Read by
 * the fast linear reader (`readPlainYaml`: the YAML repository files use); what it does not take
 * is read by the `yaml` library when the file is small (`FULL_YAML_MAX_CHARS`), with the nesting
 * checked while the text is tokenised (the composer recurses, so a file of 500,000 `[` never
 * reaches it), and refused with a problem naming the line otherwise. Then `checkYamlDocument`
 * refuses custom tags, unresolved or cyclic aliases, too many aliases, duplicate keys and
 * documents that expand past `limits.maxNodes` values. Every step is linear in the text. Never throws.
 */
export function parseYamlDocument(params: { file: string; text: string; limits?: YamlLimits }): Result<ParsedYaml, Problem[]> {
  const { file, text } = params;
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  const lines = new LineCounter();
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const tooDeep = (offset: number) => err([{ ...at(offset), message: `nesting is deeper than ${limits.maxDepth} levels (the limit for repository files)` }]);
  let doc: Document.Parsed | undefined;
  const fast = readPlainYaml(text, limits.maxDepth);
  if (fast.ok) {
    countLines(text, lines);
    doc = fast.doc;
  } else if (fast.tooDeep) {
    countLines(text, lines);
    return tooDeep(fast.offset);
  } else if (text.length > FULL_YAML_MAX_CHARS) {
    countLines(text, lines);
    return err([{ ...at(fast.offset), message: `${fast.what}: YAML files over ${FULL_YAML_MAX_CHARS / 1024} KiB are read only in the plain YAML that DVC and editors write (block and flow collections, quoted and block scalars, anchors and aliases, comments)` }]);
  } else {
    try {
      doc = compose(text, lines, limits.maxDepth);
    } catch (e) {
      if (e instanceof TooDeep) return tooDeep(e.offset);
      return err([{ file, message: `invalid YAML: ${(e as Error).message}` }]);
    }
  }
  if (doc.errors.length > 0) {
    return err(doc.errors.map((e) => ({ ...at(e.pos[0]), message: `invalid YAML: ${e.message.split("\n")[0] ?? e.code}` })));
  }
  const problems = checkYamlDocument({ doc, limits }).map(({ offset, message }) => (offset === undefined ? { file, message } : { ...at(offset), message }));
  return problems.length > 0 ? err(problems) : ok({ doc, lines });
}

/** The line starts of `text`, as the library's parser records them. */
function countLines(text: string, lines: LineCounter): void {
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
}

/** `parseDocument`, with the CST parser's stack depth watched token by token. */
function compose(text: string, lines: LineCounter, maxDepth: number): Document.Parsed {
  const lexer = new Lexer();
  const parser = new Parser(lines.addNewLine);
  // The parser's stack holds the document, then one entry per open collection (and a scalar).
  const maxStack = maxDepth + 2;
  function* tokens() {
    lines.addNewLine(0); // what `Parser.parse` does first
    for (const lexeme of lexer.lex(text)) {
      yield* parser.next(lexeme);
      if (parser.stack.length > maxStack) throw new TooDeep(parser.offset);
    }
    yield* parser.end();
  }
  // Keys are checked for uniqueness in one pass by `checkYamlDocument`: the composer's own check
  // compares each key with every earlier one (100,000 keys took 108 s).
  // logLevel "error": a hostile file's collection keys must not print a warning per key to the bot's stderr.
  const composer = new Composer({ uniqueKeys: false, logLevel: "error" });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "the file holds several YAML documents (`---`); it must hold one"));
      break;
    }
  }
  return doc!;
}
