import { Document, Pair, Scalar, isScalar, type Node } from "yaml";

// The reader makes hundreds of thousands of scalars and pairs: made from prototypes that carry
// the library's node type (what `isScalar`, `isPair` read), they skip the constructors'
// per-object `defineProperty`, which took half the reader's time and most of its garbage.
const NODE_TYPE = Symbol.for("yaml.node.type");
const SCALAR_PROTO = Object.create(Scalar.prototype, { [NODE_TYPE]: { value: Symbol.for("yaml.scalar") } }) as Scalar;
const PAIR_PROTO = Object.create(Pair.prototype, { [NODE_TYPE]: { value: Symbol.for("yaml.pair") } }) as Pair;

export function newPair(key: Node, value: Node | null): Pair {
  const pair = Object.create(PAIR_PROTO) as Pair;
  pair.key = key;
  pair.value = value;
  return pair;
}

/** Plain scalars that start with none of these characters are strings in the core schema. */
const MAY_RESOLVE = /^[~nNtTfF0-9+\-.]/;

/** Why the fast reader stopped: what it met, and where (an offset in the text). */
export class NotPlainYaml extends Error {
  constructor(
    readonly offset: number,
    readonly what: string,
    readonly tooDeep = false,
  ) {
    super(what);
  }
}

/**
 * The text of a YAML file cut into lines, with the helpers the fast reader's parts share: the
 * position of each line, its indentation (which a compact `- key: value` item may move to the
 * item's column), and the scalar resolution of the `yaml` library's core schema.
 */
export class YamlSource {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Column of the line's content (mutable: a compact item starts a node mid-line). */
  readonly indents: number[] = [];
  /** Offset of the line's content: its first character that is not a space. */
  readonly contents: number[] = [];
  /** The next line to read. */
  line = 0;
  private readonly doc = new Document();

  constructor(readonly text: string) {
    let start = 0;
    while (start < text.length || this.starts.length === 0) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      const next = end + 1;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(content - start);
      this.contents.push(content);
      start = next;
    }
  }

  get count(): number {
    return this.starts.length;
  }

  fail(offset: number, what: string): never {
    throw new NotPlainYaml(offset, what);
  }

  /** A line with nothing but spaces or a comment. Tabs before the content are not read. */
  isBlank(line: number): boolean {
    const at = this.contents[line]!;
    if (at === this.ends[line]) return true;
    const c = this.text.charCodeAt(at);
    if (c === 9) this.fail(at, "a tab where the indentation or a separator is");
    return c === 35;
  }

  /** Moves `line` past blank and comment lines. */
  skipBlank(): void {
    while (this.line < this.count && this.isBlank(this.line)) this.line++;
  }

  /** Offset after the spaces from `at` (a tab is not read). */
  skipSpaces(at: number, end: number): number {
    while (at < end) {
      const c = this.text.charCodeAt(at);
      if (c === 9) this.fail(at, "a tab where the indentation or a separator is");
      if (c !== 32) break;
      at++;
    }
    return at;
  }

  /** From `at` to the end of the line: nothing but spaces and a comment, else not read. */
  expectLineEnd(at: number, line: number): void {
    const end = this.ends[line]!;
    const p = this.skipSpaces(at, end);
    if (p < end && (this.text.charCodeAt(p) !== 35 || p === at)) this.fail(p, "more text after a value on its line");
  }

  /** The line that holds `offset` (lines are read in order, so the search starts at `from`). */
  lineOf(offset: number, from: number): number {
    let line = from;
    while (line + 1 < this.count && this.starts[line + 1]! <= offset) line++;
    return line;
  }

  /** A plain scalar's value as the core schema reads it (`1` an int, `true` a bool, `~` null...). */
  plainScalar(value: string, start: number, end: number): Scalar {
    if (value !== "" && !MAY_RESOLVE.test(value)) return this.place(newScalar(value), value, start, end, Scalar.PLAIN);
    const tag = this.doc.schema.tags.find((t) => t.default === true && !t.collection && t.test?.test(value));
    let scalar: Scalar;
    if (tag && "resolve" in tag && tag.resolve) {
      const res = (tag.resolve as (v: string, e: (m: string) => void, o: unknown) => unknown)(value, (m) => this.fail(start, m), this.doc.options);
      scalar = isScalar(res) ? res : newScalar(res);
      if (tag.format) scalar.format = tag.format;
    } else scalar = newScalar(value);
    return this.place(scalar, value, start, end, Scalar.PLAIN);
  }

  /** A quoted or block scalar: always a string. */
  stringScalar(value: string, start: number, end: number, type: Scalar.Type): Scalar {
    return this.place(newScalar(value), value, start, end, type);
  }

  private place(scalar: Scalar, source: string, start: number, end: number, type: Scalar.Type): Scalar {
    scalar.range = [start, end, end];
    scalar.source = source;
    scalar.type = type;
    return scalar;
  }

  /** The document the composer would give: `contents` and no errors. */
  document(contents: Node | null): Document.Parsed {
    this.doc.contents = contents;
    return this.doc as unknown as Document.Parsed;
  }
}

function newScalar(value: unknown): Scalar {
  const scalar = Object.create(SCALAR_PROTO) as Scalar;
  scalar.value = value;
  return scalar;
}
