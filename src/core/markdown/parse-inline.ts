import type { PhrasingContent } from "mdast";
import { decodeNamedCharacterReference } from "decode-named-character-reference";
import { ASCII_PUNCTUATION, labelIdentifier as identifier } from "./block-syntax.js";
import { DestinationIndex } from "./destination-index.js";
import { HtmlReader } from "./read-html.js";
import { processEmphasis, readDelimiterRun, type Delimiter } from "./process-emphasis.js";
import { InlineList, type Entry } from "./inline-list.js";

/** Link and footnote labels the document defines (mdast identifiers: normalised, lower case). */
export interface InlineDefinitions {
  readonly links: ReadonlySet<string>;
  readonly footnotes: ReadonlySet<string>;
}

interface Bracket {
  readonly entry: Entry;
  readonly image: boolean;
  /** Index in `raw` just after the `[`. */
  readonly textStart: number;
  /** The last delimiter when this bracket was opened (emphasis inside the link stops there). */
  readonly bottom: Delimiter | null;
}

const SPECIAL = /[\\`&<*_~[\]!]/g;
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/y;
const LABEL_MAX = 999;
const ALT_MAX = 256;

/**
 * The inline content of one paragraph, heading or table cell (its source text, container
 * prefixes already removed) -> mdast phrasing nodes: emphasis, strong, strikethrough, code,
 * links, images, references, autolinks, inline HTML, escapes, entities, hard breaks. Follows
 * CommonMark's inline algorithm (delimiter stack with openers-bottom, bracket stack with
 * inactive openers), so it is linear in the input, unlike micromark's, which takes seconds on
 * 64 KB of `*a*a…`, `[a](` or `~~a`. Positions are not kept. Pure; never throws.
 */
export function parseInline(raw: string, definitions: InlineDefinitions): PhrasingContent[] {
  return new InlineParser(raw, definitions).parse();
}

class InlineParser {
  private readonly list = new InlineList();
  private readonly brackets: Bracket[] = [];
  /** Link openers below this stack index are inactive (a link may not contain a link). */
  private inactiveBelow = 0;
  private delimiters: Delimiter | null = null;
  private pending = "";
  private readonly destinations: DestinationIndex;
  private readonly html: HtmlReader;
  private backtickRuns: Map<number, { starts: number[]; next: number }> | null = null;

  constructor(
    private readonly raw: string,
    private readonly definitions: InlineDefinitions,
  ) {
    this.destinations = new DestinationIndex(raw);
    this.html = new HtmlReader(raw);
  }

  parse(): PhrasingContent[] {
    const raw = this.raw;
    let at = 0;
    while (at < raw.length) {
      SPECIAL.lastIndex = at;
      const found = SPECIAL.exec(raw);
      if (!found) break;
      this.pending += raw.slice(at, found.index);
      at = this.special(found.index);
    }
    this.pending += raw.slice(at);
    this.flush();
    processEmphasis(this.list, this.delimiters, null);
    return this.list.toNodes();
  }

  /** Reads the construct starting with the special character at `at`; returns where reading goes on. */
  private special(at: number): number {
    const raw = this.raw;
    switch (raw[at]) {
      case "\\":
        return this.escape(at);
      case "`":
        return this.codeSpan(at);
      case "&":
        return this.entity(at);
      case "<":
        return this.angle(at);
      case "[": {
        const footnote = raw[at + 1] === "^" ? this.footnoteCall(at) : -1;
        return footnote >= 0 ? footnote : this.openBracket(at, false);
      }
      case "!":
        if (raw[at + 1] === "[") return this.openBracket(at, true);
        this.pending += "!";
        return at + 1;
      case "]":
        return this.closeBracket(at);
      default:
        return this.delimiterRun(at);
    }
  }

  private flush(): void {
    if (this.pending === "") return;
    this.list.append({ type: "text", value: this.pending });
    this.pending = "";
  }

  private push(node: PhrasingContent): Entry {
    this.flush();
    return this.list.append(node);
  }

  private escape(at: number): number {
    const next = this.raw[at + 1];
    if (next === "\n") {
      this.push({ type: "break" });
      return at + 2;
    }
    if (next !== undefined && ASCII_PUNCTUATION.test(next)) {
      this.pending += next;
      return at + 2;
    }
    this.pending += "\\";
    return at + 1;
  }

  private codeSpan(at: number): number {
    const raw = this.raw;
    let end = at;
    while (raw[end] === "`") end++;
    const size = end - at;
    const close = this.nextBacktickRun(size, end);
    if (close < 0) {
      this.pending += raw.slice(at, end);
      return end;
    }
    // Line endings stay as written (mdast keeps them); one padding space or line ending is cut at each end.
    let value = raw.slice(end, close);
    if (value.length >= 2 && isPadding(value[0]) && isPadding(value[value.length - 1]) && /[^ \r\n]/.test(value)) value = value.slice(1, -1);
    this.push({ type: "inlineCode", value });
    return close + size;
  }

  /** Start of the first run of exactly `size` backticks at or after `from`, or -1. Each size's pointer only moves forward. */
  private nextBacktickRun(size: number, from: number): number {
    if (!this.backtickRuns) {
      this.backtickRuns = new Map();
      const runs = /`+/g;
      for (let m = runs.exec(this.raw); m; m = runs.exec(this.raw)) {
        const bySize = this.backtickRuns.get(m[0].length) ?? { starts: [], next: 0 };
        bySize.starts.push(m.index);
        this.backtickRuns.set(m[0].length, bySize);
      }
    }
    const runs = this.backtickRuns.get(size);
    if (!runs) return -1;
    while (runs.next < runs.starts.length && runs.starts[runs.next]! < from) runs.next++;
    return runs.starts[runs.next] ?? -1;
  }

  private entity(at: number): number {
    ENTITY.lastIndex = at;
    const match = ENTITY.exec(this.raw);
    const decoded = match ? decodeEntity(match) : null;
    if (match && decoded !== null) {
      this.pending += decoded;
      return ENTITY.lastIndex;
    }
    this.pending += "&";
    return at + 1;
  }

  private angle(at: number): number {
    const html = this.html.read(at);
    if (!html) {
      this.pending += "<";
      return at + 1;
    }
    const value = this.raw.slice(at, html.end);
    if (html.kind === "autolink") {
      const url = value.slice(1, -1);
      this.push({ type: "link", url: html.email ? `mailto:${url}` : url, title: null, children: [{ type: "text", value: url }] });
    } else {
      this.push({ type: "html", value });
    }
    return html.end;
  }

  /** `[^label]` naming a footnote the document defines: a footnote reference; returns where it ends, or -1. */
  private footnoteCall(at: number): number {
    const close = readLabel(this.raw, at + 2);
    if (close === null) return -1;
    const label = this.raw.slice(at + 2, close);
    if (label === "" || /\s/.test(label) || !this.definitions.footnotes.has(identifier(label))) return -1;
    this.push({ type: "footnoteReference", identifier: identifier(label), label });
    return close + 1;
  }

  private openBracket(at: number, image: boolean): number {
    const width = image ? 2 : 1;
    const entry = this.push({ type: "text", value: image ? "![" : "[" });
    this.brackets.push({ entry, image, textStart: at + width, bottom: this.delimiters });
    return at + width;
  }

  private closeBracket(at: number): number {
    const opener = this.brackets.pop();
    const inactive = opener !== undefined && !opener.image && this.brackets.length < this.inactiveBelow;
    this.inactiveBelow = Math.min(this.inactiveBelow, this.brackets.length);
    if (!opener || inactive) {
      this.pending += "]";
      return at + 1;
    }
    const target = this.readTarget(opener, at);
    if (!target) {
      this.pending += "]";
      return at + 1;
    }
    this.flush();
    processEmphasis(this.list, this.delimiters, opener.bottom);
    this.delimiters = opener.bottom;
    const children = this.list.takeAfter(opener.entry);
    opener.entry.node = makeLinkNode(opener.image, target, children);
    if (!opener.image) this.inactiveBelow = this.brackets.length;
    return target.end;
  }

  private readTarget(opener: Bracket, close: number): LinkTarget | null {
    const raw = this.raw;
    if (raw[close + 1] === "(") {
      const resource = this.destinations.readResource(close + 2);
      if (resource) return { kind: "resource", ...resource };
    }
    let label = raw.slice(opener.textStart, close);
    let end = close + 1;
    let referenceType: "full" | "collapsed" | "shortcut" = "shortcut";
    if (raw[close + 1] === "[") {
      const labelEnd = readLabel(raw, close + 2);
      if (labelEnd !== null) {
        const written = raw.slice(close + 2, labelEnd);
        referenceType = written.trim() === "" ? "collapsed" : "full";
        if (referenceType === "full") label = written;
        end = labelEnd + 1;
      }
    }
    if (label.length > LABEL_MAX || label.trim() === "") return null;
    const id = identifier(label);
    if (!this.definitions.links.has(id)) return null;
    return { kind: "reference", referenceType, identifier: id, label, end };
  }

  private delimiterRun(at: number): number {
    const run = readDelimiterRun(this.raw, at);
    if (!run) {
      const end = at + countRun(this.raw, at);
      this.pending += this.raw.slice(at, end);
      return end;
    }
    const entry = this.push({ type: "text", value: this.raw.slice(at, run.end) });
    const count = run.end - at;
    const delimiter: Delimiter = { char: run.char, count, canOpen: run.canOpen, canClose: run.canClose, entry, previous: this.delimiters, next: null };
    if (this.delimiters) this.delimiters.next = delimiter;
    this.delimiters = delimiter;
    return run.end;
  }
}

type LinkTarget =
  | { kind: "resource"; url: string; title: string | null; end: number }
  | { kind: "reference"; referenceType: "full" | "collapsed" | "shortcut"; identifier: string; label: string; end: number };

function makeLinkNode(image: boolean, target: LinkTarget, children: PhrasingContent[]): PhrasingContent {
  if (target.kind === "resource") {
    return image ? { type: "image", url: target.url, title: target.title, alt: altText(children) } : { type: "link", url: target.url, title: target.title, children };
  }
  const reference = { identifier: target.identifier, label: target.label, referenceType: target.referenceType };
  return image ? { type: "imageReference", ...reference, alt: altText(children) } : { type: "linkReference", ...reference, children };
}

/** Plain text of an image's description, at most `ALT_MAX` characters (nested images are absurd but must stay cheap). */
function altText(children: readonly PhrasingContent[]): string {
  let out = "";
  const stack: PhrasingContent[] = [...children].reverse();
  while (stack.length > 0 && out.length < ALT_MAX) {
    const node = stack.pop()!;
    if (node.type === "text" || node.type === "inlineCode") out += node.value;
    else if (node.type === "image" || node.type === "imageReference") out += node.alt ?? "";
    else if ("children" in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out.slice(0, ALT_MAX);
}

/** End (index of the `]`) of a link label starting at `from`, or null: at most 999 characters, no unescaped brackets. */
function readLabel(raw: string, from: number): number | null {
  for (let i = from; i < raw.length && i - from <= LABEL_MAX; i++) {
    const c = raw[i];
    if (c === "\\") i++;
    else if (c === "[") return null;
    else if (c === "]") return i;
  }
  return null;
}

function isPadding(char: string | undefined): boolean {
  return char === " " || char === "\n" || char === "\r";
}

function countRun(raw: string, at: number): number {
  let end = at;
  while (raw[end] === raw[at]) end++;
  return end - at;
}


function decodeEntity(match: RegExpExecArray): string | null {
  const [, hex, decimal, name] = match;
  if (name !== undefined) {
    const decoded = decodeNamedCharacterReference(name);
    return decoded === false ? null : decoded;
  }
  const code = Number.parseInt(hex ?? decimal ?? "", hex !== undefined ? 16 : 10);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
  return String.fromCodePoint(code);
}
