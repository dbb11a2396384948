/** One member of a tar archive: a file (with its bytes), a folder, or something else (a link, a device...). */
export interface TarEntry {
  readonly name: string;
  readonly kind: "file" | "folder" | "symlink" | "hardlink" | "other";
  readonly mode: number;
  readonly linkTarget: string;
  readonly data: Uint8Array;
}

const BLOCK = 512;

/**
 * Reads a (ustar, GNU or pax) tar archive into its entries, long names included (GNU `L`/`K`
 * members, pax `path`/`linkpath`). Pure: it trusts nothing in the bytes, and returns an error
 * instead of throwing on a truncated or malformed archive. Whether an entry may be written
 * anywhere is the caller's question.
 */
export function parseTar(bytes: Uint8Array): { ok: true; entries: TarEntry[] } | { ok: false; error: string } {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return { ok: true, entries };
    if (!checksumMatches(header)) return { ok: false, error: `the header at byte ${offset} is corrupt (bad checksum)` };
    const size = octal(header, 124, 12);
    if (size === undefined) return { ok: false, error: `the header at byte ${offset} has no readable size` };
    const start = offset + BLOCK;
    if (start + size > bytes.length) return { ok: false, error: `the member at byte ${offset} is cut short` };
    const data = bytes.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === "L") longName = cString(data, 0, data.length);
    else if (type === "K") longLink = cString(data, 0, data.length);
    else if (type === "x") pax = parsePax(data);
    else if (type === "g") continue;
    else {
      const prefix = cString(header, 345, 155);
      const shortName = cString(header, 0, 100);
      const name = pax.path ?? longName ?? (prefix ? `${prefix}/${shortName}` : shortName);
      const linkTarget = pax.linkpath ?? longLink ?? cString(header, 157, 100);
      entries.push({ name, kind: kindOf(type), mode: octal(header, 100, 8) ?? 0o644, linkTarget, data });
      longName = longLink = undefined;
      pax = {};
    }
  }
  return offset >= bytes.length ? { ok: true, entries } : { ok: false, error: "the archive ends inside a header" };
}

function kindOf(type: string): TarEntry["kind"] {
  if (type === "0" || type === "\0" || type === "7") return "file";
  if (type === "5") return "folder";
  if (type === "2") return "symlink";
  if (type === "1") return "hardlink";
  return "other";
}

function cString(bytes: Uint8Array, start: number, length: number): string {
  const slice = bytes.subarray(start, start + length);
  const end = slice.indexOf(0);
  return Buffer.from(end < 0 ? slice : slice.subarray(0, end)).toString("utf8");
}

function octal(bytes: Uint8Array, start: number, length: number): number | undefined {
  const text = cString(bytes, start, length).trim();
  if (!/^[0-7]+$/.test(text)) return text === "" ? 0 : undefined;
  return parseInt(text, 8);
}

function checksumMatches(header: Uint8Array): boolean {
  const stored = octal(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return stored === sum;
}

/** pax records: `<length> <key>=<value>\n`, repeated; the length counts bytes. */
function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const bytes = Buffer.from(data);
  let i = 0;
  while (i < bytes.length) {
    const space = bytes.indexOf(32, i);
    const length = Number(bytes.subarray(i, space).toString("ascii"));
    if (space < 0 || !Number.isInteger(length) || length <= space - i) break;
    const record = bytes.subarray(space + 1, i + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += length;
  }
  return out;
}
