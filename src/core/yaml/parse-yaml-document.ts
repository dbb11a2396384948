import { Composer, Lexer, LineCounter, Parser, YAMLParseError, type Document } from "yaml";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { checkYamlDocument } from "./check-yaml-document.js";

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export type YamlLimits = Pick<ParseLimits, "maxDepth" | "maxAliases" | "maxNodes">;

/** Thrown inside the token stream when the nesting gets too deep; turned into a problem. */
class TooDeep extends Error {
  constructor(readonly offset: number) {
    super("too deep");
  }
}

/**
 * YAML 1.2 text -> document with line numbers, or the problems (file, line, column). Bounded:
 * the nesting is checked while the text is tokenised (the composer recurses, so a file of
 * 500,000 `[` never reaches it), then `checkYamlDocument` refuses custom tags, unresolved or
 * cyclic aliases, too many aliases, duplicate keys and documents that expand past
 * `limits.maxNodes` values. Every step is linear in the text. Never throws.
 */
export function parseYamlDocument(params: { file: string; text: string; limits?: YamlLimits }): Result<ParsedYaml, Problem[]> {
  const { file, text } = params;
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  const lines = new LineCounter();
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  let doc: Document.Parsed | undefined;
  try {
    doc = compose(text, lines, limits.maxDepth);
  } catch (e) {
    if (e instanceof TooDeep) {
      return err([{ ...at(e.offset), message: `nesting is deeper than ${limits.maxDepth} levels (the limit for repository files)` }]);
    }
    return err([{ file, message: `invalid YAML: ${(e as Error).message}` }]);
  }
  if (doc.errors.length > 0) {
    return err(doc.errors.map((e) => ({ ...at(e.pos[0]), message: `invalid YAML: ${e.message.split("\n")[0] ?? e.code}` })));
  }
  const problems = checkYamlDocument({ doc, limits }).map(({ offset, message }) => (offset === undefined ? { file, message } : { ...at(offset), message }));
  return problems.length > 0 ? err(problems) : ok({ doc, lines });
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
