import { Alias, type Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";
import { readFlowPlain, readQuoted } from "./read-yaml-scalars.js";
import { newPair, NotPlainYaml, type YamlSource } from "./yaml-source.js";

/** Where a flow reader stands: an offset and the line it is on. */
interface At {
  pos: number;
  line: number;
}

/**
 * A flow collection (`[a, b]`, `{a: 1}`: JSON is one) from its bracket at `start`, over as many
 * lines as it takes (each indented more than `parentIndent`, or starting with its closing
 * bracket). Nested to at most `maxDepth` (counting from `depth`). Returns the node and the
 * position after its closing bracket.
 */
export function readFlow(src: YamlSource, start: number, line: number, parentIndent: number, depth: number, maxDepth: number): { node: Node; at: At } {
  const at: At = { pos: start, line };
  const node = collection(src, at, { parentIndent, maxDepth }, depth);
  return { node, at };
}

interface Ctx {
  readonly parentIndent: number;
  readonly maxDepth: number;
}

function collection(src: YamlSource, at: At, ctx: Ctx, depth: number): Node {
  if (depth > ctx.maxDepth) throw new NotPlainYaml(at.pos, "too deep", true);
  const start = at.pos;
  const isMap = src.text.charCodeAt(start) === 123;
  const close = isMap ? 125 : 93;
  const node = isMap ? new YAMLMap() : new YAMLSeq();
  at.pos++;
  for (;;) {
    space(src, at, ctx);
    if (src.text.charCodeAt(at.pos) === close) break;
    if (isMap) (node as YAMLMap).items.push(pair(src, at, ctx, depth));
    else {
      const item = value(src, at, ctx, depth);
      space(src, at, ctx);
      if (src.text.charCodeAt(at.pos) === 58) src.fail(at.pos, "a `key: value` pair inside a flow sequence");
      (node as YAMLSeq).items.push(item);
    }
    space(src, at, ctx);
    const c = src.text.charCodeAt(at.pos);
    if (c === 44) at.pos++;
    else if (c !== close) src.fail(at.pos, "a flow collection without its `,` or closing bracket");
  }
  at.pos++;
  node.range = [start, at.pos, at.pos];
  return node;
}

function pair(src: YamlSource, at: At, ctx: Ctx, depth: number): Pair {
  const c = src.text.charCodeAt(at.pos);
  if (c === 91 || c === 123 || c === 42 || c === 38) src.fail(at.pos, "a flow mapping key this reader does not take");
  const quoted = c === 34 || c === 39;
  const key = scalar(src, at, ctx);
  space(src, at, ctx);
  if (src.text.charCodeAt(at.pos) !== 58) return newPair(key, null);
  const next = src.text.charCodeAt(at.pos + 1);
  // After a plain key, `:` needs a space (or a bracket) after it; after a quoted key (JSON) it needs none.
  if (!quoted && !(Number.isNaN(next) || next === 32 || next === 10 || next === 13 || next === 44 || next === 125)) src.fail(at.pos, "a `:` not followed by a space");
  at.pos++;
  space(src, at, ctx);
  const v = src.text.charCodeAt(at.pos);
  // `{a: }`: the library gives the pair an empty plain scalar where its value would stand.
  if (v === 44 || v === 125) return newPair(key, emptyScalar(at.pos));
  return newPair(key, value(src, at, ctx, depth));
}

function value(src: YamlSource, at: At, ctx: Ctx, depth: number): Node {
  const c = src.text.charCodeAt(at.pos);
  if (c === 91 || c === 123) return collection(src, at, ctx, depth + 1);
  if (c === 42) {
    const name = anchorName(src, at.pos + 1, at.line);
    const alias = new Alias(name);
    alias.range = [at.pos, at.pos + 1 + name.length, at.pos + 1 + name.length];
    at.pos += 1 + name.length;
    return alias;
  }
  if (c === 38) {
    const name = anchorName(src, at.pos + 1, at.line);
    at.pos += 1 + name.length;
    if (src.text.charCodeAt(at.pos) !== 32) src.fail(at.pos, "an anchor without a value after it");
    space(src, at, ctx);
    const node = value(src, at, ctx, depth);
    if (node instanceof Alias) src.fail(at.pos, "an anchor on an alias");
    (node as { anchor?: string }).anchor = name;
    return node;
  }
  return scalar(src, at, ctx);
}

function scalar(src: YamlSource, at: At, ctx: Ctx): Scalar {
  const c = src.text.charCodeAt(at.pos);
  if (c === 34 || c === 39) {
    const read = readQuoted(src, at.pos, at.line, ctx.parentIndent);
    at.pos = read.end;
    at.line = read.line;
    return read.node;
  }
  if (!canStartPlain(src, at.pos, at.line)) src.fail(at.pos, "a value that starts with an indicator character");
  const read = readFlowPlain(src, at.pos, at.line, ctx.parentIndent);
  if (read.end === at.pos) src.fail(at.pos, "an empty value in a flow collection");
  at.pos = read.end;
  at.line = read.line;
  return read.node;
}

/** Skips spaces, comments and line breaks; a line that is not indented enough is not read. */
function space(src: YamlSource, at: At, ctx: Ctx): void {
  for (;;) {
    const end = src.ends[at.line]!;
    at.pos = src.skipSpaces(at.pos, end);
    if (at.pos < end && src.text.charCodeAt(at.pos) !== 35) return;
    if (at.pos < end && at.pos > src.starts[at.line]! && src.text.charCodeAt(at.pos - 1) !== 32) return;
    at.line++;
    if (at.line >= src.count) src.fail(src.text.length, "a flow collection with no closing bracket");
    at.pos = src.contents[at.line]!;
    const c = src.text.charCodeAt(at.pos);
    const blank = at.pos === src.ends[at.line] || c === 35;
    if (!blank && src.indents[at.line]! <= ctx.parentIndent && c !== 93 && c !== 125) src.fail(at.pos, "a flow collection's line is not indented");
  }
}

/** An anchor or alias name: letters, digits, `_`, `-`, `.` (other names are not read). */
export function anchorName(src: YamlSource, start: number, line: number): string {
  let end = start;
  const lineEnd = src.ends[line]!;
  while (end < lineEnd && /[A-Za-z0-9_.-]/.test(src.text[end]!)) end++;
  const after = end < lineEnd ? src.text.charCodeAt(end) : 32;
  if (end === start || !(after === 32 || after === 44 || after === 93 || after === 125)) src.fail(start, "an anchor or alias name this reader does not take");
  return src.text.slice(start, end);
}

/**
 * Whether a plain scalar may start at `pos`: not at an indicator (`[`, `&`, `#`, `|`, `%`...);
 * `-`, `?` and `:` only when a character other than a space or a flow bracket follows.
 */
export function canStartPlain(src: YamlSource, pos: number, line: number, flow = true): boolean {
  const end = src.ends[line]!;
  if (pos >= end) return false;
  const c = src.text[pos]!;
  if (c === "-" || c === "?" || c === ":") {
    if (pos + 1 >= end) return false;
    // `?]: {}` is a plain key outside flow collections; inside them `,[]{}` end the scalar (YAML 1.2 ns-plain-safe).
    return !(flow ? " \t,[]{}" : " \t").includes(src.text[pos + 1]!);
  }
  return !",[]{}#&*!|>'\"%@`\t".includes(c);
}

function emptyScalar(pos: number): Scalar {
  const node = new Scalar(null);
  node.range = [pos, pos, pos];
  (node as Scalar & { source: string }).source = "";
  return node;
}
