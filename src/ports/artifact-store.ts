import type { Writable } from "node:stream";

export interface ReadOptions {
  readonly maxBytes?: number | undefined;
}

/**
 * Where bytes live that outlast a job: logs, collected metrics/params/plots, DVC cache or
 * remote objects. Keys are `/`-separated relative paths; an adapter maps them to its medium
 * (a folder, a bucket prefix). A missing key reads as `undefined`, never as an exception.
 */
export interface ArtifactStore {
  /** Human-readable location for messages, e.g. `/srv/.mlops-bot/artifacts` or `gs://b/p`. */
  readonly location: string;
  put(key: string, data: string | Uint8Array): Promise<void>;
  /**
   * The object's bytes. With `maxBytes`, at most `maxBytes + 1` of them are read (the first ones),
   * so a caller can tell an object over its limit without holding more of it: what a job wrote.
   */
  get(key: string, options?: ReadOptions): Promise<Buffer | undefined>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** A stream for large or incremental writes (logs); the object is complete when it ends. */
  openWrite(key: string): Writable;
  /** Removes every key under the prefix; removing nothing is not an error. */
  remove(prefix: string): Promise<void>;
}
