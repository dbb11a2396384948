import { createWriteStream, mkdirSync } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { StorageError } from "../../core/errors.js";
import type { ArtifactStore, ReadOptions } from "../../ports/artifact-store.js";

/** The embedded artifact store: a folder on the local disk. Writes are atomic (temp + rename). */
export class FsArtifactStore implements ArtifactStore {
  readonly location: string;

  constructor(root: string) {
    this.location = path.resolve(root);
  }

  private resolve(key: string): string {
    const full = path.resolve(this.location, key);
    if (full !== this.location && !full.startsWith(this.location + path.sep)) {
      throw new StorageError(`artifact key "${key}" leaves the store at ${this.location}`);
    }
    return full;
  }

  async put(key: string, data: string | Uint8Array): Promise<void> {
    const file = this.resolve(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, file);
  }

  async get(key: string, options: ReadOptions = {}): Promise<Buffer | undefined> {
    try {
      return options.maxBytes === undefined ? await readFile(this.resolve(key)) : await readHead(this.resolve(key), options.maxBytes + 1);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw new StorageError(`cannot read artifact "${key}" from ${this.location}`, { cause: e });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.resolve(prefix.replace(/\/+$/, "") || ".");
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isNotFound(e) || (e as NodeJS.ErrnoException).code === "ENOTDIR") return;
        throw e;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith(".tmp")) out.push(path.relative(this.location, full).split(path.sep).join("/"));
      }
    };
    await walk(base);
    return out.sort();
  }

  openWrite(key: string): Writable {
    const file = this.resolve(key);
    mkdirSync(path.dirname(file), { recursive: true });
    return createWriteStream(file);
  }

  async remove(prefix: string): Promise<void> {
    await rm(this.resolve(prefix), { recursive: true, force: true });
  }
}

/** The first `bytes` of a file (fewer when it is shorter). */
async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, bytes - filled, null);
      if (bytesRead === 0 || (filled += bytesRead) === bytes) break;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}
