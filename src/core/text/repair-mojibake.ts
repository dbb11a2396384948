import { HIGH_BYTE_OF, type SingleByteEncoding } from "./single-byte-encodings.js";

export interface MojibakeRepair {
  /** The text with every repaired run decoded as UTF-8. */
  readonly text: string;
  /** What the UTF-8 bytes had been mis-read as. */
  readonly encoding: SingleByteEncoding;
  /** How many runs were repaired. */
  readonly runs: number;
}

/**
 * Text whose UTF-8 bytes were read as Mac Roman or Windows-1252 somewhere on its way
 * (`‚úÖ` or `âœ…` for ✅, `‚è≠Ô∏è` for ⏭️) -> the text as it was written, or null when nothing
 * needs repair. Each maximal run of characters that the encoding has for bytes 0x80–0xFF is
 * turned back into those bytes; the run is replaced only when the bytes are valid UTF-8 as a
 * whole. Ordinary text is left alone: an accented letter (`é`, `ü`, `ß`) stands for one byte,
 * which is never valid UTF-8 by itself, and next to ASCII it ends its run. When both encodings
 * repair something, the one that repairs more runs wins (Mac Roman on a tie).
 *
 * One pass per encoding, linear in the text, no regular expressions: safe on hostile input.
 */
export function repairMojibake(text: string): MojibakeRepair | null {
  let best: MojibakeRepair | null = null;
  for (const [encoding, table] of HIGH_BYTE_OF) {
    const repaired = repairWith(text, table);
    if (repaired && (best === null || repaired.runs > best.runs)) best = { ...repaired, encoding };
  }
  return best;
}

function repairWith(text: string, table: ReadonlyMap<number, number>): { text: string; runs: number } | null {
  const parts: string[] = [];
  const bytes: number[] = [];
  let runs = 0;
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!table.has(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    bytes.length = 0;
    for (let b = table.get(text.charCodeAt(i)); b !== undefined; b = table.get(text.charCodeAt(i))) {
      bytes.push(b);
      i++;
    }
    const decoded = bytes.length >= 2 ? decodeUtf8Strictly(bytes) : null;
    if (decoded === null) continue;
    parts.push(text.slice(copied, start), decoded);
    copied = i;
    runs++;
  }
  if (runs === 0) return null;
  parts.push(text.slice(copied));
  return { text: parts.join(""), runs };
}

/**
 * Bytes -> the string they encode, or null unless every byte belongs to a well-formed UTF-8
 * sequence (Unicode table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
 */
export function decodeUtf8Strictly(bytes: readonly number[]): string | null {
  const points: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      points.push(lead);
      i++;
      continue;
    }
    const size = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return null;
    // The second byte's range depends on the lead (overlongs, surrogates, > U+10FFFF).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    let point = lead & (size === 2 ? 0x1f : size === 3 ? 0x0f : 0x07);
    for (let k = 1; k < size; k++) {
      const b = bytes[i + k] ?? 0;
      if (b < (k === 1 ? low : 0x80) || b > (k === 1 ? high : 0xbf)) return null;
      point = (point << 6) | (b & 0x3f);
    }
    points.push(point);
    i += size;
  }
  let out = "";
  for (let k = 0; k < points.length; k += 4096) out += String.fromCodePoint(...points.slice(k, k + 4096));
  return out;
}
