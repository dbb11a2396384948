/** One entry-level change before renames are paired: what `dvc_data.index.diff` yields. */
export interface RawChange {
  readonly kind: "added" | "deleted" | "modified";
  /** Relative to the DVC root, no trailing slash. */
  readonly path: string;
  readonly isDir: boolean;
  /** Modified only: whether the old entry was a folder (its path then prints with a slash). */
  readonly oldIsDir?: boolean | undefined;
  readonly oldHash?: string | undefined;
  readonly newHash?: string | undefined;
  readonly oldSize?: number | undefined;
  readonly newSize?: number | undefined;
  /** The tracked output the entry belongs to. */
  readonly dataset: string;
}
