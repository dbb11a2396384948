import { Parser, type ReadEntry } from "tar";
import { err, ok, type Result } from "../../core/result.js";

/** One member of a tar archive: a file (with its bytes), a folder, or something else (a link, a device...). */
export interface TarEntry {
  readonly name: string;
  readonly kind: "file" | "folder" | "symlink" | "hardlink" | "other";
  readonly mode: number;
  readonly linkTarget: string;
  readonly size: number;
  /** A file's bytes; undefined for a file over `maxFileBytes` (its bytes are skipped, never held) and for the rest. */
  readonly data: Uint8Array | undefined;
}

const BLOCK = 512;

/**
 * Reads an (uncompressed: ustar, GNU or pax) tar archive into its entries with node-tar's parser,
 * long names included. It writes nothing: whether an entry may be written anywhere is the
 * caller's question. A damaged archive (bad checksum, cut inside a header or a member) is an
 * error, not a partial list.
 */
export function readTarEntries(archive: Uint8Array, maxFileBytes: number): Promise<Result<TarEntry[], string>> {
  if (archive.length % BLOCK !== 0) return Promise.resolve(err(`it is ${archive.length} bytes, not whole ${BLOCK}-byte blocks: it ends inside a header or member`));
  return new Promise((resolve) => {
    const entries: TarEntry[] = [];
    let problem: string | undefined;
    const parser = new Parser({ strict: true, onReadEntry: (entry) => readEntry(entry, maxFileBytes, (e) => entries.push(e)) });
    parser.on("warn", (_code: string, message: string | Error) => (problem ??= typeof message === "string" ? message : message.message));
    parser.on("error", (e: Error) => (problem ??= e.message));
    parser.on("end", () => resolve(problem === undefined ? ok(entries) : err(problem)));
    parser.end(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  });
}

function readEntry(entry: ReadEntry, maxFileBytes: number, push: (e: TarEntry) => void): void {
  const kind = kindOf(entry.type);
  const fields = { name: entry.path, kind, mode: entry.mode ?? 0o644, linkTarget: entry.linkpath ?? "", size: entry.size ?? 0 };
  if (kind !== "file" || fields.size > maxFileBytes) {
    entry.resume();
    push({ ...fields, data: undefined });
    return;
  }
  const chunks: Buffer[] = [];
  entry.on("data", (chunk: Buffer) => chunks.push(chunk));
  entry.on("end", () => push({ ...fields, data: Buffer.concat(chunks) }));
}

function kindOf(type: ReadEntry["type"]): TarEntry["kind"] {
  if (type === "File" || type === "OldFile" || type === "ContiguousFile") return "file";
  if (type === "Directory") return "folder";
  if (type === "SymbolicLink") return "symlink";
  if (type === "Link") return "hardlink";
  return "other";
}
