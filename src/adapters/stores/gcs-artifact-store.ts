import { Writable } from "node:stream";
import type { Bucket } from "@google-cloud/storage";
import { StorageError } from "../../core/errors.js";
import type { ArtifactStore, ReadOptions } from "../../ports/artifact-store.js";
import { formatGcsUrl, parseGcsUrl, type GcsLocation } from "../../core/parse-gcs-url.js";
import { lazyBucket, mapLimit, statusOf } from "./gcs-objects.js";

/**
 * Artifacts in a Cloud Storage bucket under a key prefix: key `a/b.txt` of `gs://bkt/p` is the
 * object `p/a/b.txt`. Folder semantics follow the filesystem store: `list("jobs/1")` and
 * `remove("jobs/1")` mean the folder `jobs/1/` (and `remove` also the object `jobs/1` itself).
 * Writes are single requests (resumable uploads off): an object appears whole or not at all.
 */
export class GcsArtifactStore implements ArtifactStore {
  readonly location: string;
  private readonly bucket: () => Promise<Bucket>;
  private readonly prefix: string;

  constructor(params: GcsLocation & { readonly apiEndpoint?: string | undefined }) {
    this.location = formatGcsUrl(params);
    this.prefix = params.prefix;
    this.bucket = lazyBucket(params, params.apiEndpoint);
  }

  /** The store at `gs://bucket/prefix`; a malformed URL is a `StorageError` saying what is wrong. */
  static fromUrl(url: string, options: { apiEndpoint?: string | undefined } = {}): GcsArtifactStore {
    const parsed = parseGcsUrl(url);
    if (!parsed.ok) throw new StorageError(parsed.error);
    return new GcsArtifactStore({ ...parsed.value, apiEndpoint: options.apiEndpoint });
  }

  /** The object name of a key; a key with `..` segments, or none at all, is refused. */
  private objectName(key: string, allowEmpty = false): string {
    const parts = key.split("/").filter((part) => part !== "" && part !== ".");
    if (parts.includes("..")) throw new StorageError(`artifact key "${key}" leaves the store at ${this.location}`);
    if (parts.length === 0 && !allowEmpty) throw new StorageError(`artifact key "${key}" names no object in ${this.location}`);
    return [this.prefix, ...parts].filter(Boolean).join("/");
  }

  async put(key: string, data: string | Uint8Array): Promise<void> {
    const name = this.objectName(key);
    try {
      await (await this.bucket()).file(name).save(typeof data === "string" ? data : Buffer.from(data), { resumable: false });
    } catch (e) {
      throw new StorageError(`cannot write artifact "${key}" to ${this.location}: ${(e as Error).message}`, { cause: e });
    }
  }

  async get(key: string, options: ReadOptions = {}): Promise<Buffer | undefined> {
    const name = this.objectName(key);
    // With a limit, a ranged read of the first maxBytes + 1 bytes (`end` is inclusive).
    const range = options.maxBytes === undefined ? {} : { start: 0, end: options.maxBytes };
    try {
      const [data] = await (await this.bucket()).file(name).download(range);
      return data;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      // A range of an empty object cannot be satisfied: the object exists, with no bytes.
      if (statusOf(e) === 416 && options.maxBytes !== undefined) return Buffer.alloc(0);
      throw new StorageError(`cannot read artifact "${key}" from ${this.location}: ${(e as Error).message}`, { cause: e });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = this.objectName(prefix, true);
    try {
      const [files] = await (await this.bucket()).getFiles({ prefix: folder ? `${folder}/` : "", autoPaginate: true });
      const strip = this.prefix ? this.prefix.length + 1 : 0;
      return files.map((file) => file.name.slice(strip)).sort();
    } catch (e) {
      throw new StorageError(`cannot list "${prefix}" in ${this.location}: ${(e as Error).message}`, { cause: e });
    }
  }

  openWrite(key: string): Writable {
    const name = this.objectName(key);
    return deferredWritable(async () => (await this.bucket()).file(name).createWriteStream({ resumable: false }), (e) =>
      new StorageError(`cannot write artifact "${key}" to ${this.location}: ${e.message}`, { cause: e }),
    );
  }

  async remove(prefix: string): Promise<void> {
    const folder = this.objectName(prefix, true);
    try {
      const bucket = await this.bucket();
      const [files] = await bucket.getFiles({ prefix: folder ? `${folder}/` : "", autoPaginate: true });
      const names = files.map((file) => file.name);
      if (folder) names.push(folder);
      await mapLimit(names, 16, (name) => bucket.file(name).delete({ ignoreNotFound: true }));
    } catch (e) {
      throw new StorageError(`cannot remove "${prefix}" from ${this.location}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/**
 * A writable that forwards to a stream opened on first use (the client library loads lazily).
 * It finishes only when the inner stream has (for an upload: when the object exists).
 */
function deferredWritable(open: () => Promise<Writable>, wrap: (e: Error) => Error): Writable {
  let inner: Promise<Writable> | undefined;
  const target = () =>
    (inner ??= open().then((stream) => {
      stream.on("error", (e) => outer.destroy(wrap(e)));
      return stream;
    }));
  const outer: Writable = new Writable({
    write(chunk: Buffer, encoding, callback) {
      target().then(
        (stream) => (stream.write(chunk, encoding) ? callback() : stream.once("drain", () => callback())),
        (e: Error) => callback(wrap(e)),
      );
    },
    final(callback) {
      target().then(
        (stream) => stream.end(() => callback()),
        (e: Error) => callback(wrap(e)),
      );
    },
    destroy(error, callback) {
      if (inner && error) void inner.then((stream) => stream.destroy(), () => undefined);
      callback(error);
    },
  });
  return outer;
}
