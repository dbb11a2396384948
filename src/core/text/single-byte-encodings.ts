/** The single-byte encodings UTF-8 text is most often mis-decoded as. */
export type SingleByteEncoding = "Mac Roman" | "Windows-1252";

/**
 * Bytes 0x80–0xFF of Mac Roman (Apple's `macintosh`, as `new TextDecoder("macintosh")` reads
 * them), one character per byte. 0xF0 is the Apple logo in the private use area.
 */
const MAC_ROMAN_HIGH = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00A0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›\uFB01\uFB02‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uF8FFÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

/**
 * Bytes 0x80–0x9F of Windows-1252 (the rest is Latin-1: byte = code point). The five bytes
 * Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 control of the
 * same number, as in the WHATWG Encoding Standard that browsers follow.
 */
const WINDOWS_1252_C1 =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

/**
 * For each encoding, character (UTF-16 unit) -> the byte it was decoded from, for bytes 0x80–0xFF.
 * Windows-1252 also takes every C1 control U+0080–U+009F back to its own byte, so text read as
 * Latin-1 (ISO-8859-1, where bytes 0x80–0x9F are C1 controls) is covered too.
 */
export const HIGH_BYTE_OF: ReadonlyMap<SingleByteEncoding, ReadonlyMap<number, number>> = new Map([
  ["Mac Roman", highBytes(MAC_ROMAN_HIGH)],
  ["Windows-1252", windows1252()],
]);

function highBytes(table: string): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < table.length; i++) out.set(table.charCodeAt(i), 0x80 + i);
  return out;
}

function windows1252(): Map<number, number> {
  const out = new Map<number, number>();
  for (let b = 0x80; b <= 0xff; b++) out.set(b, b);
  for (let i = 0; i < WINDOWS_1252_C1.length; i++) out.set(WINDOWS_1252_C1.charCodeAt(i), 0x80 + i);
  return out;
}

/**
 * UTF-8 text -> how it reads when its bytes are taken as `encoding` (`✅` -> `‚úÖ` in Mac
 * Roman): the written form of a mark that `repairMojibake` repaired, to show it to people.
 */
export function misDecodeUtf8(text: string, encoding: SingleByteEncoding): string {
  const table = encoding === "Mac Roman" ? MAC_ROMAN_HIGH : WINDOWS_1252_C1;
  let out = "";
  for (const byte of new TextEncoder().encode(text)) out += byte < 0x80 || byte - 0x80 >= table.length ? String.fromCharCode(byte) : table.charAt(byte - 0x80);
  return out;
}
