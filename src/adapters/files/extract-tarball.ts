import { gunzipSync } from "node:zlib";
import { splitInsidePath } from "./inside-path.js";
import { readTarEntries } from "./read-tar-entries.js";
import { makeFolderInside, writeInside } from "./write-inside.js";

export interface ExtractLimits {
  /** Bytes of one file. */
  readonly perFileBytes: number;
  /** Bytes of all files together (and of the unpacked archive). */
  readonly totalBytes: number;
}

/**
 * Unpacks a (gzipped) tarball into `dest`, a folder the caller made, refusing what could write
 * outside it or smuggle something in: links (symbolic and hard), absolute names, names with
 * `..`, devices and FIFOs, and files over the limits. Each refusal is a note naming the entry;
 * the rest is extracted. A corrupt archive is one note and nothing extracted.
 */
export async function extractTarball(archive: Uint8Array, dest: string, limits: ExtractLimits): Promise<{ files: number; notes: string[] }> {
  let raw: Buffer;
  try {
    raw = gunzipSync(archive, { maxOutputLength: limits.totalBytes + 64 * 1024 * 1024 });
  } catch (e) {
    const message = (e as Error).message;
    return { files: 0, notes: [/buffer|length|range/i.test(message) ? `the archive unpacks to more than the limit of ${limits.totalBytes} bytes: nothing was extracted` : `the archive is not gzip: ${message}`] };
  }
  const parsed = await readTarEntries(raw, limits.perFileBytes);
  if (!parsed.ok) return { files: 0, notes: [`the archive cannot be read: ${parsed.error}; nothing was extracted`] };
  const notes: string[] = [];
  let total = 0;
  let files = 0;
  for (const entry of parsed.value) {
    const split = splitInsidePath(entry.name);
    if (!split.ok) {
      if (entry.kind === "folder" && /^\.?\/?$/.test(entry.name)) continue; // the archive's own root
      notes.push(`\`${entry.name}\` ${split.why}: not extracted`);
      continue;
    }
    const rel = split.parts.join("/");
    if (entry.kind === "folder") {
      const why = await makeFolderInside(dest, rel);
      if (why) notes.push(`\`${rel}/\` ${why}: not extracted`);
      continue;
    }
    if (entry.kind !== "file") {
      notes.push(`\`${rel}\` is ${entry.kind === "other" ? "not a regular file" : `a ${entry.kind === "symlink" ? "symbolic" : "hard"} link (to \`${entry.linkTarget}\`)`}: not extracted`);
      continue;
    }
    if (!entry.data || entry.size > limits.perFileBytes || total + entry.size > limits.totalBytes) {
      notes.push(`\`${rel}\` is ${entry.size} bytes, over the limit (${limits.perFileBytes} per file, ${limits.totalBytes} in all): not extracted`);
      continue;
    }
    const why = await writeInside(dest, rel, entry.data, entry.mode);
    if (why) notes.push(`\`${rel}\` ${why}: not extracted`);
    else {
      total += entry.data.length;
      files++;
    }
  }
  return { files, notes };
}
