import type { Scalar} from "yaml";
import { Alias, YAMLMap, YAMLSeq, type Document, type Node } from "yaml";
import { anchorName, canStartPlain, readFlow } from "./read-yaml-flow.js";
import { readBlockPlain, readBlockScalar, readQuoted } from "./read-yaml-scalars.js";
import { newPair, NotPlainYaml, YamlSource } from "./yaml-source.js";

/** What the fast reader gives: the document, or where it stopped and why. */
export type PlainYamlResult = { ok: true; doc: Document.Parsed } | { ok: false; offset: number; what: string; tooDeep: boolean };

/** An implicit key longer than this is not YAML (the spec's limit; the `yaml` library's too). */
const MAX_KEY_CHARS = 1024;
/** Characters YAML does not allow in a file (C0 and C1 controls but tab and line breaks, lone surrogates, U+FFFE/F), a BOM, a lone CR. */
// eslint-disable-next-line no-control-regex -- finding the control characters YAML forbids is the point
const NOT_PRINTABLE = /\r(?!\n)|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The fast reader of the YAML that repository files use: block mappings and sequences (compact
 * `- key: value` items too), flow collections (JSON), plain, quoted and block scalars, anchors
 * and aliases, comments, a leading `---`. One pass, linear in the text, nesting capped at
 * `maxDepth`; it builds the same nodes (values, ranges) as the `yaml` library's composer, which
 * is 10-50 times slower. Anything else (tags, `?` keys, directives, several documents, tabs,
 * invalid YAML) stops it with the offset and what it met; it never throws.
 */
export function readPlainYaml(text: string, maxDepth: number): PlainYamlResult {
  try {
    const bad = NOT_PRINTABLE.exec(text);
    if (bad) return { ok: false, offset: bad.index, what: "a character YAML does not allow in a file (a control character, a byte-order mark or a lone surrogate)", tooDeep: false };
    const directive = /^%/m.exec(text);
    if (directive) return { ok: false, offset: directive.index, what: "a directive (`%YAML`, `%TAG`)", tooDeep: false };
    const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
    const first = marker.exec(text);
    const second = first && marker.exec(text);
    // One `---` may open the document, after nothing but comments; any other marker ends one.
    if (first && (first[0] === "..." || second || !onlyComments(text.slice(0, first.index)))) {
      const at = first[0] === "..." || !second ? first.index : second.index;
      return { ok: false, offset: at, what: "a document marker (`---` or `...`) where this reader takes none", tooDeep: false };
    }
    const src = new YamlSource(text);
    return { ok: true, doc: src.document(new BlockReader(src, maxDepth).document()) };
  } catch (e) {
    if (e instanceof NotPlainYaml) return { ok: false, offset: e.offset, what: e.what, tooDeep: e.tooDeep };
    if (e instanceof RangeError) return { ok: false, offset: 0, what: `a structure this reader cannot hold (${e.message})`, tooDeep: false };
    throw e;
  }
}

class BlockReader {
  constructor(
    private readonly src: YamlSource,
    private readonly maxDepth: number,
  ) {}

  document(): Node | null {
    const { src } = this;
    src.skipBlank();
    if (src.line < src.count) {
      const head = src.text.slice(src.contents[src.line], src.contents[src.line]! + 4);
      if (head.startsWith("%")) src.fail(src.contents[src.line]!, "a directive (`%YAML`, `%TAG`)");
      if (/^---(?:[ \r\n]|$)/.test(head) && src.indents[src.line] === 0) {
        src.expectLineEnd(src.contents[src.line]! + 3, src.line);
        src.line++;
      }
    }
    const root = this.node(-1, 0, false);
    if (root === null && /^---(?:[ \t\r\n]|$)/m.test(src.text)) src.fail(0, "a `---` with no document after it");
    src.skipBlank();
    if (src.line < src.count) src.fail(src.contents[src.line]!, "more text after the document's value (a second document, or a line indented less than it should be)");
    return root;
  }

  /** The block node on the next lines indented more than `parent` (a sequence may sit at `parent` when `seqAtParent`). */
  private node(parent: number, depth: number, seqAtParent: boolean): Node | null {
    const { src } = this;
    src.skipBlank();
    if (src.line >= src.count) return null;
    const indent = src.indents[src.line]!;
    if (indent < parent || (indent === parent && !(seqAtParent && this.isSeqLine(src.line)))) return null;
    return this.blockAt(indent, parent, depth);
  }

  /** The node whose first line is the current one, starting at column `indent`. */
  private blockAt(indent: number, parent: number, depth: number): Node {
    if (depth >= this.maxDepth) throw new NotPlainYaml(this.src.contents[this.src.line]!, "too deep", true);
    if (this.isSeqLine(this.src.line)) return this.sequence(indent, depth + 1);
    if (this.keyEnd(this.src.line) !== undefined) return this.mapping(indent, depth + 1);
    return this.inlineValue(this.src.contents[this.src.line]!, parent, depth, false);
  }

  private isSeqLine(line: number): boolean {
    const at = this.src.contents[line]!;
    const next = this.src.text.charCodeAt(at + 1);
    return this.src.text.charCodeAt(at) === 45 && (at + 1 === this.src.ends[line] || next === 32 || next === 9);
  }

  private sequence(indent: number, depth: number): YAMLSeq {
    const { src } = this;
    const seq = new YAMLSeq();
    const start = src.contents[src.line]!;
    while (src.line < src.count && src.indents[src.line] === indent && this.isSeqLine(src.line)) {
      const line = src.line;
      const after = src.skipSpaces(src.contents[line]! + 1, src.ends[line]!);
      if (after === src.ends[line] || src.text.charCodeAt(after) === 35) {
        src.line++;
        seq.items.push(this.node(indent, depth, false) ?? empty(src, after));
      } else {
        // A compact item (`- a: 1`, `- - x`): a node that starts at this column of the line.
        src.indents[line] = after - src.starts[line]!;
        src.contents[line] = after;
        seq.items.push(this.blockAt(src.indents[line], indent, depth));
      }
      this.checkNextIndent(indent);
    }
    seq.range = [start, this.lastEnd(), this.lastEnd()];
    return seq;
  }

  private mapping(indent: number, depth: number): YAMLMap {
    const { src } = this;
    const map = new YAMLMap();
    const start = src.contents[src.line]!;
    while (src.line < src.count && src.indents[src.line] === indent) {
      const line = src.line;
      const colon = this.keyEnd(line) ?? src.fail(src.contents[line]!, "a line that is neither a `key: value` nor a list item where one was expected");
      const key = this.key(line, colon);
      map.items.push(newPair(key, this.inlineValue(colon + 1, indent, depth, true)));
      this.checkNextIndent(indent);
    }
    map.range = [start, this.lastEnd(), this.lastEnd()];
    return map;
  }

  /** After a value, the next line may not be indented more than its collection's items. */
  private checkNextIndent(indent: number): void {
    this.src.skipBlank();
    if (this.src.line < this.src.count && this.src.indents[this.src.line]! > indent) this.src.fail(this.src.contents[this.src.line]!, "a line indented more than the value above it allows");
  }

  private lastEnd(): number {
    const line = Math.min(this.src.line, this.src.count) - 1;
    return line >= 0 ? this.src.ends[line]! : 0;
  }

  /** Offset of the `:` that ends the key starting the line, or undefined when the line is no `key: value`. */
  private keyEnd(line: number): number | undefined {
    const { src } = this;
    const { text } = src;
    const start = src.contents[line]!;
    const end = src.ends[line]!;
    const c = text.charCodeAt(start);
    if (c === 34 || c === 39) {
      const quoted = readQuoted(src, start, line, -1);
      if (quoted.line !== line) return undefined;
      const p = src.skipSpaces(quoted.end, end);
      return text.charCodeAt(p) === 58 && (p + 1 === end || text.charCodeAt(p + 1) === 32) ? p : undefined;
    }
    if (c === 63 && (start + 1 === end || text.charCodeAt(start + 1) === 32)) src.fail(start, "an explicit key (`? `)");
    if (c === 58 && (start + 1 === end || text.charCodeAt(start + 1) === 32)) src.fail(start, "a `:` with no key before it");
    if (!canStartPlain(src, start, line, false)) return undefined;
    for (let i = start; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 35 && text.charCodeAt(i - 1) === 32) return undefined;
      if (ch === 9) src.fail(i, "a tab in a key or value");
      if (ch === 58 && (i + 1 === end || text.charCodeAt(i + 1) === 32)) return i;
    }
    return undefined;
  }

  private key(line: number, colon: number): Scalar {
    const { src } = this;
    const start = src.contents[line]!;
    if (colon - start > MAX_KEY_CHARS) src.fail(start, `a key longer than ${MAX_KEY_CHARS} characters`);
    const c = src.text.charCodeAt(start);
    if (c === 34 || c === 39) return readQuoted(src, start, line, -1).node;
    let end = colon;
    while (src.text.charCodeAt(end - 1) === 32) end--;
    return src.plainScalar(src.text.slice(start, end), start, end);
  }

  /**
   * The value that starts at `from` on the current line (after a key's `:` when `afterKey`, else
   * the line's own content): on this line and its continuations, or (nothing on the line after a
   * key or an anchor) the block node on the next lines. Leaves `line` after the value.
   */
  private inlineValue(from: number, parent: number, depth: number, afterKey: boolean): Node {
    const { src } = this;
    const line = src.line;
    const end = src.ends[line]!;
    let p = src.skipSpaces(from, end);
    if (afterKey && p === from && p < end) src.fail(p, "a `:` not followed by a space");
    let anchor: string | undefined;
    if (src.text.charCodeAt(p) === 38) {
      anchor = anchorName(src, p + 1, line);
      p = src.skipSpaces(p + 1 + anchor.length, end);
    }
    const c = p < end ? src.text.charCodeAt(p) : -1;
    if (c === -1 || (c === 35 && src.text.charCodeAt(p - 1) === 32)) {
      if (!afterKey && anchor === undefined) src.fail(p, "an empty value");
      src.line++;
      const nested = this.node(parent, depth, afterKey);
      if (nested === null && anchor !== undefined) src.fail(p, "an anchor on an empty value");
      if (nested && anchor !== undefined) {
        if (nested instanceof Alias || nested.anchor !== undefined) src.fail(p, "two anchors on one value");
        nested.anchor = anchor;
      }
      return nested ?? empty(src, p);
    }
    const node = this.valueOnLine(p, line, parent, depth, c);
    if (anchor !== undefined) {
      if (node instanceof Alias) src.fail(p, "an anchor on an alias");
      node.anchor = anchor;
    }
    return node;
  }

  /** A scalar, flow collection or alias that starts at `p` (character `c`) on `line`. */
  private valueOnLine(p: number, line: number, parent: number, depth: number, c: number): Node {
    const { src } = this;
    if (c === 42) {
      const name = anchorName(src, p + 1, line);
      const alias = new Alias(name);
      alias.range = [p, p + 1 + name.length, p + 1 + name.length];
      src.expectLineEnd(p + 1 + name.length, line);
      src.line = line + 1;
      return alias;
    }
    if (c === 124 || c === 62) {
      const read = readBlockScalar(src, p, line, parent);
      src.line = read.next;
      return read.node;
    }
    if (c === 91 || c === 123) {
      const read = readFlow(src, p, line, parent, depth + 1, this.maxDepth);
      src.expectLineEnd(read.at.pos, read.at.line);
      src.line = read.at.line + 1;
      return read.node;
    }
    if (c === 34 || c === 39) {
      const read = readQuoted(src, p, line, parent);
      src.expectLineEnd(read.end, read.line);
      src.line = read.line + 1;
      return read.node;
    }
    if (c === 33) src.fail(p, "a tag (`!`)");
    if (!canStartPlain(src, p, line, false)) src.fail(p, "a value that starts with an indicator character");
    const read = readBlockPlain(src, p, line, parent);
    src.line = read.line + 1;
    return read.node;
  }
}

/** The null of `key:` with nothing after it, where the composer puts it. */
function empty(src: YamlSource, at: number): Scalar {
  return src.plainScalar("", at, at);
}

function onlyComments(text: string): boolean {
  return text.split("\n").every((line) => {
    const t = line.trimStart();
    return t === "" || t === "\r" || t.startsWith("#");
  });
}
