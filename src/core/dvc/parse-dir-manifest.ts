import { checkFileSize } from "../limits/check-file-size.js";
import { guardParser } from "../limits/guard-parser.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";

/**
 * A `.dir` manifest, column-wise: entry i is `relpaths[i]` with md5 `hashes[i]` (and `sizes[i]`
 * when the manifest carries sizes). Columns instead of one object per entry keep a
 * million-entry manifest cheap to hold and to diff.
 */
export interface DirManifest {
  readonly relpaths: readonly string[];
  readonly hashes: readonly string[];
  /** Only when at least one entry has a `size`. */
  readonly sizes: readonly (number | undefined)[] | undefined;
  /** True when relpaths are strictly increasing (DVC writes them sorted). */
  readonly sorted: boolean;
}

const MAX_PROBLEMS = 20;
const FAST_MD5 = '{"md5": "';
const FAST_RELPATH = ', "relpath": "';
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * `.dir` manifest text (a JSON list of `{"md5": ..., "relpath": ...}`) -> columns. A hand-written
 * scanner for this one shape: it allocates nothing per entry but the two strings kept, which
 * makes it faster than `JSON.parse`. Any JSON the shape allows is accepted (whitespace, key order,
 * escapes, extra keys); anything else is a problem with its line and column. Never throws.
 */
export function parseDirManifest(params: { file: string; text: string; limits?: ParseLimits }): Result<DirManifest, Problem[]> {
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  return guardParser(params.file, () => {
    const tooBig = checkFileSize({ kind: "dir-manifest", file: params.file, text: params.text, limits });
    return tooBig ? err([tooBig]) : parseDirManifestWithin({ ...params, limits });
  });
}

function parseDirManifestWithin(params: { file: string; text: string; limits: ParseLimits }): Result<DirManifest, Problem[]> {
  return new ManifestScanner(params.file, params.text, params.limits.maxDepth).scan();
}

class ManifestScanner {
  private i = 0;
  private readonly problems: Problem[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  scan(): Result<DirManifest, Problem[]> {
    const relpaths: string[] = [];
    const hashes: string[] = [];
    let sizes: (number | undefined)[] | undefined;
    let sorted = true;
    let previous: string | undefined;
    try {
      this.expect(91 /* [ */, "a JSON list of entries");
      this.ws();
      if (this.text.charCodeAt(this.i) === 93 /* ] */) this.i++;
      else {
        for (let index = 0; ; index++) {
          this.ws();
          const start = this.i;
          const fast = this.fastEntry();
          const entry = fast ?? this.entry();
          if (entry.md5 === undefined || entry.relpath === undefined) {
            this.problem(start, `entry ${index} needs both \`md5\` and \`relpath\``);
          } else if (!fast && !isMd5(entry.md5, 0)) {
            this.problem(start, `entry ${JSON.stringify(entry.relpath)} has an md5 of the wrong form: ${JSON.stringify(entry.md5)}`);
          } else {
            if (entry.size !== undefined) {
              sizes ??= new Array<number | undefined>(relpaths.length);
              sizes[relpaths.length] = entry.size;
            }
            if (previous !== undefined && !(previous < entry.relpath)) sorted = false;
            previous = entry.relpath;
            relpaths.push(entry.relpath);
            hashes.push(entry.md5);
          }
          this.ws();
          const c = this.text.charCodeAt(this.i++);
          if (c === 93 /* ] */) break;
          if (c !== 44 /* , */) this.fail(this.i - 1, "expected `,` or `]` after an entry");
        }
      }
      this.ws();
      if (this.i < this.text.length) this.fail(this.i, "unexpected text after the list");
    } catch (e) {
      if (!(e instanceof ScanError)) throw e;
    }
    if (this.problems.length > 0) return err(this.problems);
    if (sizes && sizes.length < relpaths.length) sizes.length = relpaths.length;
    return ok({ relpaths, hashes, sizes, sorted });
  }

  /**
   * The exact bytes DVC writes, `{"md5": "<32>", "relpath": "<path>"}`, read without a key loop;
   * undefined (nothing consumed) for anything else, which the general `entry` then reads.
   */
  private fastEntry(): { md5: string; relpath: string; size: undefined } | undefined {
    const text = this.text;
    const i = this.i;
    if (!text.startsWith(FAST_MD5, i) || text.charCodeAt(i + 41) !== QUOTE || !text.startsWith(FAST_RELPATH, i + 42) || !isMd5(text, i + 9)) return undefined;
    const start = i + 42 + FAST_RELPATH.length;
    const end = text.indexOf('"', start);
    if (end < 0 || text.charCodeAt(end + 1) !== 125 /* } */) return undefined;
    const relpath = text.slice(start, end);
    if (relpath.includes("\\")) return undefined;
    this.i = end + 2;
    return { md5: text.slice(i + 9, i + 41), relpath, size: undefined };
  }

  private entry(): { md5: string | undefined; relpath: string | undefined; size: number | undefined } {
    let md5: string | undefined;
    let relpath: string | undefined;
    let size: number | undefined;
    this.expect(123 /* { */, "an entry `{...}`");
    this.ws();
    if (this.text.charCodeAt(this.i) === 125 /* } */) {
      this.i++;
      return { md5, relpath, size };
    }
    for (;;) {
      this.ws();
      const keyStart = this.i;
      const key = this.string();
      this.ws();
      this.expect(58 /* : */, "`:` after a key");
      this.ws();
      const valueStart = this.i;
      const c = this.text.charCodeAt(this.i);
      if (key === "md5" || key === "relpath") {
        if (c !== QUOTE) this.fail(valueStart, `\`${key}\` must be a string`);
        const value = this.string();
        if (key === "md5") md5 = value;
        else relpath = value;
      } else if (key === "size") {
        const value = this.value(1);
        if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) this.problem(valueStart, "`size` must be a non-negative integer");
        else size = value;
      } else {
        this.value(1);
      }
      if (keyStart === this.i) this.fail(keyStart, "expected a key");
      this.ws();
      const next = this.text.charCodeAt(this.i++);
      if (next === 125 /* } */) return { md5, relpath, size };
      if (next !== 44 /* , */) this.fail(this.i - 1, "expected `,` or `}` in an entry");
    }
  }

  /** A JSON string at `i`; fast path without escapes slices the text. */
  private string(): string {
    const text = this.text;
    if (text.charCodeAt(this.i) !== QUOTE) this.fail(this.i, "expected a string");
    const start = this.i + 1;
    const end = text.indexOf('"', start);
    if (end < 0) this.fail(this.i, "unterminated string");
    const raw = text.slice(start, end);
    if (raw.indexOf("\\") < 0) {
      this.i = end + 1;
      return raw;
    }
    // Escapes: find the real closing quote, then let JSON decode the literal.
    let j = start;
    for (;;) {
      const c = text.charCodeAt(j);
      if (Number.isNaN(c)) this.fail(this.i, "unterminated string");
      if (c === BACKSLASH) j += 2;
      else if (c === QUOTE) break;
      else j++;
    }
    const literal = text.slice(this.i, j + 1);
    this.i = j + 1;
    try {
      return JSON.parse(literal) as string;
    } catch {
      return this.fail(this.i - literal.length, "invalid escape in a string");
    }
  }

  /** Any other JSON value (kept generic so unknown keys of future DVC versions do not break us). */
  private value(depth: number): unknown {
    const start = this.i;
    const c = this.text.charCodeAt(this.i);
    if (c === QUOTE) return this.string();
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth > this.maxDepth) this.fail(start, `nesting is deeper than ${this.maxDepth} levels (the limit for repository files)`);
      const close = c === 123 ? 125 : 93;
      this.i++;
      this.ws();
      if (this.text.charCodeAt(this.i) === close) {
        this.i++;
        return null;
      }
      for (;;) {
        this.ws();
        if (c === 123) {
          this.string();
          this.ws();
          this.expect(58, "`:` after a key");
          this.ws();
        }
        this.value(depth + 1);
        this.ws();
        const next = this.text.charCodeAt(this.i++);
        if (next === close) return null;
        if (next !== 44) this.fail(this.i - 1, "expected `,` in a nested value");
      }
    }
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(start, start + 40));
    if (!match) return this.fail(start, "expected a JSON value");
    this.i = start + match[0].length;
    const literal = match[0];
    return literal === "true" ? true : literal === "false" ? false : literal === "null" ? null : Number(literal);
  }

  private ws(): void {
    const text = this.text;
    let c = text.charCodeAt(this.i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++this.i);
  }

  private expect(code: number, what: string): void {
    this.ws();
    if (this.text.charCodeAt(this.i) !== code) this.fail(this.i, `expected ${what}`);
    this.i++;
  }

  private problem(offset: number, message: string): void {
    if (this.problems.length >= MAX_PROBLEMS) throw new ScanError();
    this.problems.push({ file: this.file, ...this.position(offset), message });
  }

  private fail(offset: number, message: string): never {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file: this.file, ...this.position(offset), message });
    throw new ScanError();
  }

  private position(offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let k = this.text.indexOf("\n"); k >= 0 && k < offset; k = this.text.indexOf("\n", k + 1)) {
      line++;
      lineStart = k + 1;
    }
    return { line, column: offset - lineStart + 1 };
  }
}

class ScanError extends Error {}

/** 1 for the code units of lower-case hex digits. A table lookup beats range tests here. */
const HEX = new Uint8Array(65536);
for (const c of "0123456789abcdef") HEX[c.charCodeAt(0)] = 1;

/** Whether `text` holds 32 lower-case hex digits at `at` (and, from 0, nothing else). */
function isMd5(text: string, at: number): boolean {
  if (at === 0 && text.length !== 32) return false;
  let ok = 1;
  for (let k = at; k < at + 32; k++) ok &= HEX[text.charCodeAt(k)]!;
  return ok === 1;
}
