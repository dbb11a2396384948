import type { Bucket, File, Storage } from "@google-cloud/storage";
import { err, ok, type Result } from "../../core/result.js";

/** A place in Cloud Storage: a bucket and a key prefix (no leading or trailing `/`; may be empty). */
export interface GcsLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** Bucket names as Cloud Storage allows them: 3-222 characters, lowercase, digits, `-_.`. */
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** `gs://bucket/some/prefix` -> `{ bucket, prefix }`, or what is wrong with the URL. */
export function parseGcsUrl(url: string): Result<GcsLocation, string> {
  const match = /^gs:\/\/([^/]*)\/?(.*)$/.exec(url.trim());
  if (!match) return err(`\`${url}\` is not a Cloud Storage URL; write it as gs://bucket/prefix`);
  const bucket = match[1] ?? "";
  const prefix = (match[2] ?? "").replace(/\/+$/, "");
  if (!BUCKET.test(bucket)) return err(`\`${bucket}\` in \`${url}\` is not a bucket name (lowercase letters, digits, -, _ and .)`);
  if (prefix !== "" && prefix.split("/").some((part) => part === "" || part === "." || part === "..")) {
    return err(`the prefix \`${prefix}\` in \`${url}\` has an empty, \`.\` or \`..\` segment`);
  }
  return ok({ bucket, prefix });
}

/** `gs://bucket/prefix`, for messages. */
export function formatGcsUrl(location: GcsLocation): string {
  return `gs://${location.bucket}${location.prefix ? `/${location.prefix}` : ""}`;
}

const clients = new Map<string, Promise<Storage>>();

/**
 * The bucket's handle, loaded on first use: the client library takes about 0.4 s to import, which
 * a bot on the embedded stores should not pay. One client per endpoint in a process. Credentials
 * are Application Default Credentials only (workload identity on Cloud Run, `gcloud auth
 * application-default login` on a laptop); `apiEndpoint` is for an emulator, which needs none.
 */
export function lazyBucket(location: GcsLocation, apiEndpoint?: string): () => Promise<Bucket> {
  let bucket: Promise<Bucket> | undefined;
  return () => {
    bucket ??= storageClient(apiEndpoint).then((storage) => storage.bucket(location.bucket));
    return bucket;
  };
}

function storageClient(apiEndpoint: string | undefined): Promise<Storage> {
  const key = apiEndpoint ?? "";
  let client = clients.get(key);
  if (!client) {
    client = import("@google-cloud/storage").then(({ Storage }) => new Storage(apiEndpoint ? { apiEndpoint } : {}));
    clients.set(key, client);
  }
  return client;
}

/** The object's bytes and the generation they belong to (one request), or undefined if it is missing. */
export function readObject(file: File): Promise<{ data: Buffer; generation: string } | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let generation: string | undefined;
    file
      .createReadStream()
      .on("response", (res: { headers: Record<string, string | string[] | undefined> }) => {
        const header = res.headers["x-goog-generation"];
        generation = Array.isArray(header) ? header[0] : header;
      })
      .on("data", (chunk: Buffer) => chunks.push(chunk))
      .on("error", (e) => (statusOf(e) === 404 ? resolve(undefined) : reject(e)))
      .on("end", () => {
        if (generation === undefined) reject(new Error(`no x-goog-generation header when reading ${file.name}`));
        else resolve({ data: Buffer.concat(chunks), generation });
      });
  });
}

/** The HTTP status of a Cloud Storage error (404 missing, 412 precondition failed), if any. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : undefined;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
