import type { Problem } from "../problem.js";
import { FILE_KIND_NAMES, formatByteLimit, type FileKind, type ParseLimits } from "./parse-limits.js";

/**
 * A problem when `text` is over the byte cap of its kind (counted in UTF-8, as the file was on
 * disk), else undefined. Stops counting at the cap, so a huge text costs no more than the cap.
 */
export function checkFileSize(params: { kind: FileKind; file: string; text: string; limits: Pick<ParseLimits, "maxBytes"> }): Problem | undefined {
  const cap = params.limits.maxBytes[params.kind];
  if (!exceeds(params.text, cap)) return undefined;
  return tooLarge({ kind: params.kind, file: params.file, cap });
}

/** The problem for a file over its kind's cap (also used where the size is known before reading). */
export function tooLarge(params: { kind: FileKind; file: string; cap: number; bytes?: number }): Problem {
  const size = params.bytes === undefined ? "" : ` (${formatByteLimit(params.bytes)})`;
  return {
    file: params.file,
    message: `is larger${size} than the ${formatByteLimit(params.cap)} the bot reads of a ${FILE_KIND_NAMES[params.kind]}, so it was not read`,
  };
}

/** Whether the UTF-8 encoding of `text` is longer than `cap` bytes. */
function exceeds(text: string, cap: number): boolean {
  if (text.length > cap) return true;
  if (text.length * 3 <= cap) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair (4 bytes) counts 2 + 2.
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
    if (bytes > cap) return true;
  }
  return false;
}
