import type { PredictInput } from "./create-predict-request-parser.js";

/** Reads a `/predict` body's bytes straight into the model's input, or says "not this fast way" (undefined). */
export type InstanceScanner = (body: Buffer) => PredictInput | undefined;

const FLOAT32_MAX = 3.4028234663852886e38;
/** 2^53: an integer below it is exact in a double (and so was every step that made it). */
const MAX_EXACT = 2 ** 53;
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
 * arithmetic while the digits make an integer below 2^53 and the power of ten is at most 22,
 * else `Number()` of the same characters, the same conversion), then rounded to float32 by the store, as the
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

/*
 * Bounds: `scanRows` first finds the body's last non-whitespace byte, `end`, and goes on only
 * when it is the closing brace. Every loop below stops at a byte it does not take, and none
 * takes "}", so no read goes past `end`: the scan needs no length check per byte.
 */

/** The number of rows scanned into `holder.scratch`, or -1 (not the fast shape). */
function scanRows(b: Buffer, featureCount: number, maxBatch: number, holder: { scratch: Float32Array }): number {
  let end = b.length - 1;
  while (end >= 0 && isSpace(b[end]!)) end--;
  if (end < 0 || b[end] !== BRACE_CLOSE) return -1;
  let i = scanPrefix(b);
  if (i < 0) return -1;
  let scratch = holder.scratch;
  let count = 0;
  for (;;) {
    i = skip(b, i + 1); // past "[" or ","
    if (b[i] !== OPEN || count === maxBatch) return -1;
    const base = count * featureCount;
    if (base + featureCount > scratch.length) {
      const grown = new Float32Array(Math.min(scratch.length * 2, featureCount * maxBatch));
      grown.set(scratch);
      holder.scratch = scratch = grown;
    }
    i = scanRow(b, i, scratch, base, featureCount);
    if (i < 0) return -1;
    count++;
    i = skip(b, i + 1);
    if (b[i] === CLOSE) break;
    if (b[i] !== COMMA) return -1;
  }
  // The "]" of the list, then the "}" (which the check above proved is at `end`).
  return skip(b, i + 1) === end ? count : -1;
}

/** `{"instances":[` with any JSON whitespace: the index of that "[", or -1. */
function scanPrefix(b: Buffer): number {
  let i = skip(b, 0);
  if (b[i] !== BRACE_OPEN) return -1;
  i = skip(b, i + 1);
  if (b.compare(KEY, 0, KEY.length, i, Math.min(i + KEY.length, b.length)) !== 0) return -1;
  i = skip(b, i + KEY.length);
  if (b[i] !== COLON) return -1;
  i = skip(b, i + 1);
  return b[i] === OPEN ? i : -1;
}

/** One row at its "[" (index `i`): `featureCount` numbers into `out[base..]`. The index of its "]", or -1. */
function scanRow(b: Buffer, i: number, out: Float32Array, base: number, featureCount: number): number {
  const last = featureCount - 1;
  for (let j = 0; j <= last; j++) {
    i = scanNumber(b, skip(b, i + 1), out, base + j);
    if (i < 0) return -1;
    i = skip(b, i);
    if (b[i] !== (j === last ? CLOSE : COMMA)) return -1;
  }
  return i;
}

/**
 * A JSON number at `i`, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, stored into `out[k]`
 * when it is within float32: the index past it, or -1.
 */
function scanNumber(b: Buffer, i: number, out: Float32Array, k: number): number {
  const start = i;
  let c = b[i]!;
  const negative = c === MINUS;
  if (negative) c = b[++i]!;
  let mantissa = 0;
  let exponent = 0;
  if (c === ZERO) c = b[++i]!;
  else if (c > ZERO && c <= NINE) {
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      c = b[++i]!;
    } while (c >= ZERO && c <= NINE);
  } else return -1;
  if (c === DOT) {
    c = b[++i]!;
    if (!(c >= ZERO && c <= NINE)) return -1;
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      exponent--;
      c = b[++i]!;
    } while (c >= ZERO && c <= NINE);
  }
  let value: number;
  if (c === E_LOWER || c === E_UPPER) {
    c = b[++i]!;
    if (c === MINUS || c === PLUS) c = b[++i]!;
    if (!(c >= ZERO && c <= NINE)) return -1;
    do c = b[++i]!;
    while (c >= ZERO && c <= NINE);
    value = Number(b.toString("latin1", start, i)); // the same conversion JSON.parse makes
  } else if (mantissa < MAX_EXACT && exponent >= -22) {
    // Every step of the mantissa was an exact integer, and so is the power of ten: one IEEE division rounds correctly (Clinger's fast path).
    value = mantissa / POW10[-exponent]!;
    if (negative) value = -value;
  } else value = Number(b.toString("latin1", start, i));
  if (!(Math.abs(value) <= FLOAT32_MAX)) return -1;
  out[k] = value;
  return i;
}

/** The index of the first byte at or after `i` that is not JSON whitespace (stops at `end`'s "}"). */
function skip(b: Buffer, i: number): number {
  while (isSpace(b[i]!)) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}
