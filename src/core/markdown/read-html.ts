import { RememberedSearch } from "./remembered-search.js";

/** An autolink (`<https://…>`, `<a@b.c>`) or a piece of inline HTML at some `<`, and where it ends. */
export type HtmlMatch = { kind: "autolink"; email: boolean; end: number } | { kind: "html"; end: number };

// eslint-disable-next-line no-control-regex -- CommonMark: an autolink holds no ASCII control character or space
const URI = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>]*>/y;
/** micromark's email autolink: its local part takes no `!` (CommonMark's does). */
const EMAIL = /<[A-Za-z0-9.#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>/y;
const OPEN_TAG = /^<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>/;
const CLOSE_TAG = /^<\/[A-Za-z][A-Za-z0-9-]*\s*>/;
const DECLARATION = /^<![A-Za-z]/;
/** Longest open tag read (attributes included): bounds each attempt, so a paragraph of `<a b="…` costs linear time. */
const TAG_MAX = 512;

/**
 * Reads autolinks and inline HTML (CommonMark 0.31) in one paragraph. Comments, processing
 * instructions, declarations and CDATA end at the next terminator; the search for each
 * terminator remembers its last answer, so a paragraph of unclosed `<!--` is read in linear time.
 */
export class HtmlReader {
  private readonly terminators = new RememberedSearch();

  constructor(private readonly raw: string) {}

  read(at: number): HtmlMatch | null {
    const raw = this.raw;
    URI.lastIndex = at;
    if (URI.test(raw)) return { kind: "autolink", email: false, end: URI.lastIndex };
    EMAIL.lastIndex = at;
    if (EMAIL.test(raw)) return { kind: "autolink", email: true, end: EMAIL.lastIndex };
    if (raw.startsWith("<!--", at)) {
      if (raw.startsWith("<!-->", at)) return { kind: "html", end: at + 5 };
      if (raw.startsWith("<!--->", at)) return { kind: "html", end: at + 6 };
      return this.until("-->", at + 4);
    }
    if (raw.startsWith("<?", at)) return this.until("?>", at + 2);
    if (raw.startsWith("<![CDATA[", at)) return this.until("]]>", at + 9);
    const head = raw.slice(at, at + TAG_MAX);
    if (DECLARATION.test(head)) return this.until(">", at + 2);
    const tag = OPEN_TAG.exec(head) ?? CLOSE_TAG.exec(head);
    return tag ? { kind: "html", end: at + tag[0].length } : null;
  }

  private until(terminator: string, from: number): HtmlMatch | null {
    const found = this.terminators.find(terminator, from, (start) => this.raw.indexOf(terminator, start));
    return found < 0 ? null : { kind: "html", end: found + terminator.length };
  }
}
