/**
 * Orders strings by Unicode code point, as Python's `sorted()` does (DVC sorts paths and keys
 * that way). JavaScript's default sort compares UTF-16 units, which puts a character above
 * U+FFFF (a surrogate pair) before U+E000–U+FFFF; this comparator does not. Linear in the
 * common prefix, like `<`.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Surrogates (the start of a code point above U+FFFF) rank above every other UTF-16 unit. */
function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
