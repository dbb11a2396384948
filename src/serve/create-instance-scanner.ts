import type { PredictInput } from "./create-predict-request-parser.js";

/** Reads a `/predict` body's bytes straight into the model's input, or says "not this fast way" (undefined). */
export type InstanceScanner = (body: Buffer) => PredictInput | undefined;

const FLOAT32_MAX = 3.4028234663852886e38;
/** 10^0 .. 10^22: every power of ten that a double holds exactly. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const KEY = Buffer.from('"instances"', "latin1");
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const E_LOWER = 0x65;
const E_UPPER = 0x45;

/**
 * The hot path of `POST /predict`: a single pass over the body's bytes for the one shape that
 * well-behaved clients send, `{"instances": [[n, ..., n], ...]}` (JSON whitespace anywhere
 * JSON allows it), writing each number into a float32 input as it is read. No string is
 * decoded and no JS array or number object is made per element.
 *
 * It accepts a strict subset of what the full path (`JSON.parse`, then the zod envelope and
 * the per-value checks of `createPredictRequestParser`) accepts, and gives the same float32
 * values: a number is read exactly as `JSON.parse` reads it (a correctly rounded double: exact
 * arithmetic for up to 15 significant digits and a power of ten up to 22, else `Number()` of
 * the same characters, the same conversion), then rounded to float32 by the store, as the
 * full path does. Anything else (objects, strings, escapes, a wrong width, more than
 * `maxBatch` rows, no rows, a value past float32, malformed JSON, a byte-order mark) returns
 * undefined, and the caller runs the full path, which also writes the error message. A
 * property test holds the two paths to this (test/serve/create-instance-scanner.test.ts).
 */
export function createInstanceScanner(params: { featureCount: number; maxBatch: number }): InstanceScanner {
  const { featureCount, maxBatch } = params;
  // Rows are scanned into one reused buffer, then copied out at their exact size (the caller keeps them until its run).
  const holder = { scratch: new Float32Array(featureCount * Math.min(maxBatch, 64)) };
  return (body) => {
    const count = scanRows(body, featureCount, maxBatch, holder);
    return count > 0 ? { rows: holder.scratch.slice(0, count * featureCount), count } : undefined;
  };
}

/** The number of rows scanned into `holder.scratch`, or -1 (not the fast shape). One function, local state: V8 keeps it all in registers. */
function scanRows(b: Buffer, featureCount: number, maxBatch: number, holder: { scratch: Float32Array }): number {
  const n = b.length;
  let i = skip(b, 0, n);
  if (i >= n || b[i] !== BRACE_OPEN) return -1;
  i = skip(b, i + 1, n);
  if (i + KEY.length > n || b.compare(KEY, 0, KEY.length, i, i + KEY.length) !== 0) return -1;
  i = skip(b, i + KEY.length, n);
  if (i >= n || b[i] !== COLON) return -1;
  i = skip(b, i + 1, n);
  if (i >= n || b[i] !== OPEN) return -1;
  let scratch = holder.scratch;
  let count = 0;
  for (;;) {
    i = skip(b, i + 1, n);
    if (i >= n || b[i] !== OPEN || count === maxBatch) return -1;
    const base = count * featureCount;
    if (base + featureCount > scratch.length) {
      const grown = new Float32Array(Math.min(scratch.length * 2, featureCount * maxBatch));
      grown.set(scratch);
      holder.scratch = scratch = grown;
    }
    for (let j = 0; j < featureCount; j++) {
      i = skip(b, i + 1, n); // past "[" or ","
      // A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
      const start = i;
      let c = i < n ? b[i]! : -1;
      const negative = c === MINUS;
      if (negative) c = ++i < n ? b[i]! : -1;
      let mantissa = 0;
      let digits = 0;
      let exponent = 0;
      if (c === ZERO) c = ++i < n ? b[i]! : -1;
      else if (c > ZERO && c <= NINE) {
        do {
          mantissa = mantissa * 10 + (c - ZERO);
          digits++;
          c = ++i < n ? b[i]! : -1;
        } while (c >= ZERO && c <= NINE);
      } else return -1;
      if (c === DOT) {
        c = ++i < n ? b[i]! : -1;
        if (c < ZERO || c > NINE) return -1;
        do {
          if (mantissa !== 0 || c !== ZERO) digits++;
          mantissa = mantissa * 10 + (c - ZERO);
          exponent--;
          c = ++i < n ? b[i]! : -1;
        } while (c >= ZERO && c <= NINE);
      }
      let value: number;
      if (c === E_LOWER || c === E_UPPER) {
        c = ++i < n ? b[i]! : -1;
        if (c === MINUS || c === PLUS) c = ++i < n ? b[i]! : -1;
        if (c < ZERO || c > NINE) return -1;
        do c = ++i < n ? b[i]! : -1;
        while (c >= ZERO && c <= NINE);
        value = Number(b.toString("latin1", start, i)); // the same conversion JSON.parse makes
      } else if (digits <= 15 && exponent >= -22) {
        // Exact integer mantissa and power of ten: one IEEE division rounds correctly (Clinger's fast path).
        value = mantissa / POW10[-exponent]!;
        if (negative) value = -value;
      } else value = Number(b.toString("latin1", start, i));
      if (!(Math.abs(value) <= FLOAT32_MAX)) return -1;
      scratch[base + j] = value;
      i = skip(b, i, n);
      if (i >= n || b[i] !== (j === featureCount - 1 ? CLOSE : COMMA)) return -1;
    }
    count++;
    i = skip(b, i + 1, n);
    if (i >= n) return -1;
    if (b[i] === CLOSE) break;
    if (b[i] !== COMMA) return -1;
  }
  i = skip(b, i + 1, n);
  if (i >= n || b[i] !== BRACE_CLOSE) return -1;
  return skip(b, i + 1, n) === n ? count : -1;
}

/** The index of the first byte at or after `i` that is not JSON whitespace. */
function skip(b: Buffer, i: number, n: number): number {
  while (i < n) {
    const c = b[i]!;
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return i;
    i++;
  }
  return n;
}
