import { createWriteStream, mkdirSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { StorageError } from "../../core/errors.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";

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

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.resolve(key));
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

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}
