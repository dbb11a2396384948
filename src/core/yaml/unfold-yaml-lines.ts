// The values of plain and quoted scalars that span lines, as the `yaml` library (2.x,
// compose/resolve-flow-scalar.js) computes them, so the fast reader gives the same strings.

/** Line folding: a line break is a space, blank lines are newlines; each line's edges trimmed. */
export function unfoldLines(source: string): string {
  if (!source.includes("\n")) return source;
  const parts = source.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  let res = trimEnd(parts[0]!);
  let sep = " ";
  for (let i = 1; i < parts.length - 1; i++) {
    const lm = trimStart(trimEnd(parts[i]!));
    if (lm === "") {
      if (sep === "\n") res += sep;
      else sep = "\n";
    } else {
      res += sep + lm;
      sep = " ";
    }
  }
  return res + sep + trimStart(parts.at(-1)!);
}

export function unquoteSingle(source: string): string {
  return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}

const ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  "\t": "\t",
};

/** A double-quoted scalar's value; `fail` is called (and must throw) on an escape YAML does not have. */
export function unquoteDouble(source: string, fail: (offset: number, what: string) => never): string {
  let res = "";
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i]!;
    if (ch === "\r" && source[i + 1] === "\n") continue;
    if (ch === "\n") {
      let fold = "";
      let next = source[i + 1];
      while (next === " " || next === "\t" || next === "\n" || next === "\r") {
        if (next === "\r" && source[i + 2] !== "\n") break;
        if (next === "\n") fold += "\n";
        i++;
        next = source[i + 1];
      }
      res += fold || " ";
    } else if (ch === "\\") {
      const next = source[++i]!;
      const code = ESCAPES[next];
      if (code) res += code;
      else if (next === "\n" || (next === "\r" && source[i + 1] === "\n")) {
        if (next === "\r") i++;
        while (source[i + 1] === " " || source[i + 1] === "\t") i++;
      } else if (next === "x" || next === "u" || next === "U") {
        const length = next === "x" ? 2 : next === "u" ? 4 : 8;
        const hex = source.substr(i + 1, length);
        const point = hex.length === length && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
        if (!(point <= 0x10ffff)) fail(i - 1, `the escape \`\\${next}${hex}\``);
        res += String.fromCodePoint(point);
        i += length;
      } else fail(i - 1, `the escape \`\\${next}\``);
    } else if (ch === " " || ch === "\t") {
      const wsStart = i;
      let next = source[i + 1];
      while (next === " " || next === "\t") next = source[++i + 1];
      if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n")) res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
    } else res += ch;
  }
  return res;
}

function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && (s[e - 1] === " " || s[e - 1] === "\t")) e--;
  return s.slice(0, e);
}

function trimStart(s: string): string {
  let b = 0;
  while (b < s.length && (s[b] === " " || s[b] === "\t")) b++;
  return s.slice(b);
}
