import type { Writable } from "node:stream";

/**
 * Where bytes live that outlast a job: logs, collected metrics/params/plots, DVC cache or
 * remote objects. Keys are `/`-separated relative paths; an adapter maps them to its medium
 * (a folder, a bucket prefix). A missing key reads as `undefined`, never as an exception.
 */
export interface ArtifactStore {
  /** Human-readable location for messages, e.g. `/srv/.mlops-bot/artifacts` or `gs://b/p`. */
  readonly location: string;
  put(key: string, data: string | Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** A stream for large or incremental writes (logs); the object is complete when it ends. */
  openWrite(key: string): Writable;
  /** Removes every key under the prefix; removing nothing is not an error. */
  remove(prefix: string): Promise<void>;
}
