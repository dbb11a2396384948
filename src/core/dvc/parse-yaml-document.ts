import { LineCounter, parseDocument, type Document } from "yaml";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** YAML 1.2 text -> document with line numbers, or the syntax problems (file, line, column). */
export function parseYamlDocument(params: { file: string; text: string }): Result<ParsedYaml, Problem[]> {
  const lines = new LineCounter();
  const doc = parseDocument(params.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return err(
      doc.errors.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { file: params.file, line: at.line, column: at.col, message: `invalid YAML: ${e.message.split("\n")[0] ?? e.code}` };
      }),
    );
  }
  return ok({ doc, lines });
}
