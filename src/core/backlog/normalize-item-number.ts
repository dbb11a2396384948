/** `02.6` and `2.6` name the same item: each dotted part compared as a number. */
export function normalizeItemNumber(number: string): string {
  return number
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? String(Number(part)) : part.toLowerCase()))
    .join(".");
}
