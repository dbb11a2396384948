import type { EntrySides } from "./entry-sides.js";

/** One entry-level change before renames are paired: what `dvc_data.index.diff` yields. */
export interface RawChange extends EntrySides {
  readonly kind: "added" | "deleted" | "modified";
  /** Relative to the DVC root, no trailing slash. */
  readonly path: string;
  readonly isDir: boolean;
  /** Modified only: whether the old entry was a folder (its path then prints with a slash). */
  readonly oldIsDir?: boolean | undefined;
  /** The tracked output the entry belongs to. */
  readonly dataset: string;
}
