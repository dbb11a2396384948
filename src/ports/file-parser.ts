import type { ParseFile } from "../core/limits/parse-repository-file.js";

/**
 * Parses repository files (params, metrics, DVC metadata, manifests, backlog bodies) under the
 * parse limits. The bot's adapter runs the parsers in a pool of worker threads with a memory
 * limit and a deadline, so a pathological file costs one worker, never the process; the CLI's
 * runs them inline. A file that breaks a limit or its parser's rules gives problems naming it.
 */
export interface FileParser {
  readonly parse: ParseFile;
  /**
   * Starts a worker ahead of the first file (at the bot's start), so the first webhook that
   * parses does not wait for a thread to load the parsers; resolves when it is ready or could not start.
   */
  warm?(): Promise<void>;
  /** Stops the workers (if any). */
  close(): Promise<void>;
}
