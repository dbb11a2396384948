/**
 * The deepest nesting of a JSON or YAML text, found in one pass without parsing it: brackets
 * outside quoted strings and comments, plus (YAML) block indentation and `- ` sequence prefixes.
 * It may count more than a parser would (a `[` inside a plain scalar), never less; a file deeper
 * than a limit is refused before any parser recurses into it.
 */
export function measureNesting(text: string, mode: "json" | "yaml"): number {
  let max = 0;
  let brackets = 0;
  const indents: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line: its indentation and sequence dashes (YAML block structure).
    let lineDepth = 0;
    if (mode === "yaml" && brackets === 0) {
      let indent = 0;
      while (i < n && text[i] === " ") {
        indent++;
        i++;
      }
      let dashes = 0;
      while (i < n && text[i] === "-" && (text[i + 1] === " " || text[i + 1] === "\n")) {
        dashes++;
        i += 2;
        while (i < n && text[i] === " ") i++;
      }
      if (i < n && text[i] !== "\n" && text[i] !== "\r" && text[i] !== "#") {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        lineDepth = indents.length + dashes;
      }
    }
    // The rest of the line: brackets outside strings and comments.
    while (i < n && text[i] !== "\n") {
      const c = text[i]!;
      if (c === '"' || (c === "'" && mode === "yaml")) {
        i = skipQuoted(text, i, c);
        continue;
      }
      if (c === "#" && mode === "yaml" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t")) {
        while (i < n && text[i] !== "\n") i++;
        break;
      }
      if (c === "[" || c === "{") {
        brackets++;
        if (lineDepth + brackets > max) max = lineDepth + brackets;
      } else if ((c === "]" || c === "}") && brackets > 0) brackets--;
      i++;
    }
    if (lineDepth > max) max = lineDepth;
    i++;
  }
  return max;
}

/** Index after the closing quote (or the end of the text / line for an unclosed YAML quote). */
function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (quote === '"' && c === "\\") i += 2;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}
