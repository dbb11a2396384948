import type { Bucket, File, Storage } from "@google-cloud/storage";
import type { GcsLocation } from "../../core/parse-gcs-url.js";

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
