/**
 * Python's numbers in the bot's value trees (params, metrics), so a value keeps the type its file
 * gave it, as DVC (Python) sees it:
 * - an int is a `number` when it is a safe integer, else a `bigint` (compared and printed exactly);
 * - a float is a `number` with a fraction (or ±Infinity, NaN), or, when its value is whole
 *   (`100000.0`, `1e5`), a boxed `Number` object: a bare `100000` would read as an int.
 * Boxed numbers survive a structured clone (the parse workers' messages) and `JSON.stringify`.
 */
export type PyNumber = number | bigint | WholeFloat;

/** A float whose value is a whole number (`Number` object); see `PyNumber`. */
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types -- the box is the point: it marks a whole float
export type WholeFloat = Number;

/** A float read from a file -> its value in a tree: whole values are boxed. */
export function pyFloat(n: number): number | WholeFloat {
  return Number.isInteger(n) ? new Number(n) : n;
}

/** An int read from a file (its digits, or a number) -> a safe `number`, or a `bigint` beyond. */
export function pyInt(value: number | bigint): number | bigint {
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  return value;
}

export function isWholeFloat(v: unknown): v is WholeFloat {
  return v instanceof Number;
}

/** Whether `v` is a Python number (not a bool). */
export function isPyNumber(v: unknown): v is PyNumber {
  return typeof v === "number" || typeof v === "bigint" || v instanceof Number;
}

/** Whether `v` is a Python float: a boxed whole float, or a JS number that is not an integer. */
export function isPyFloat(v: unknown): boolean {
  return v instanceof Number || (typeof v === "number" && !Number.isInteger(v));
}

/** The nearest JS number (bigints round; booleans count as 0/1 like Python). */
export function toJsNumber(v: PyNumber | boolean): number {
  return typeof v === "boolean" ? Number(v) : Number(v);
}

/** Python's `==` between two numbers (or bools): exact for big ints, across int and float. */
export function pyNumbersEqual(a: PyNumber | boolean, b: PyNumber | boolean): boolean {
  const x = unbox(a);
  const y = unbox(b);
  if (typeof x === "bigint" || typeof y === "bigint") {
    // `==` between a bigint and a number compares their exact mathematical values, as Python does.
    return x == y;
  }
  return x === y; // NaN is never equal to itself, as in Python
}

/**
 * Python's `b - a`: ints stay exact ints, anything with a float is a float. A float difference is
 * rounded to the decimal places its operands are written with, so `0.3 - 0.1` is `0.2`, not the
 * binary `0.19999999999999998` that would show in reports and JSON.
 */
export function pySubtract(b: PyNumber | boolean, a: PyNumber | boolean): PyNumber {
  const x = unbox(b);
  const y = unbox(a);
  if (isPyFloat(a) || isPyFloat(b)) return pyFloat(subtractDecimals(Number(x), Number(y)));
  if (typeof x === "bigint" || typeof y === "bigint") return pyInt(BigInt(x) - BigInt(y));
  const diff = x - y;
  return Number.isSafeInteger(diff) ? diff : pyInt(BigInt(x) - BigInt(y));
}

function subtractDecimals(x: number, y: number): number {
  const diff = x - y;
  if (!Number.isFinite(diff)) return diff;
  const places = Math.max(decimalPlaces(x), decimalPlaces(y));
  return places > 100 ? diff : Number(diff.toFixed(places));
}

/** Digits after the point in the shortest form of `n` (`0.125` -> 3, `1e-7` -> 7, `2.5e-8` -> 9). */
function decimalPlaces(n: number): number {
  const [mantissa = "", exponent = "0"] = String(n).split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function unbox(v: PyNumber | boolean): number | bigint {
  if (typeof v === "boolean") return Number(v);
  if (v instanceof Number) return v.valueOf();
  return v;
}

/** Whether `v` is a Python dict in a value tree: a plain object (not a list, a boxed float or null). */
export function isPyDict(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Number);
}

/** Python's `abs()`: the type stays (a whole float stays boxed, a big int exact). */
export function pyAbs(v: PyNumber): PyNumber {
  if (typeof v === "bigint") return v < 0n ? -v : v;
  if (v instanceof Number) return new Number(Math.abs(v.valueOf()));
  return Math.abs(v);
}
