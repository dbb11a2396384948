/**
 * One `deps`/`outs` entry of a dvc.lock stage or a `.dvc` file, as written: `path` is relative to
 * the file's folder (and the stage's `wdir`). `hash` is the md5 value (`<32 hex>.dir` for a
 * folder), or the `etag`/`checksum` of an external entry; absent when the entry was never hashed.
 */
export interface DvcEntry {
  readonly path: string;
  readonly hash: string | undefined;
  /** `md5` (DVC 3, `hash: md5`), `md5-dos2unix` (DVC 1/2), `etag` or `checksum`. */
  readonly hashName: string;
  readonly isDir: boolean;
  readonly size?: number | undefined;
  readonly nfiles?: number | undefined;
  /** `cache: false` on a `.dvc` out; dvc.lock does not say (dvc.yaml does). */
  readonly cache: boolean;
  readonly line?: number | undefined;
}

/** An md5 as DVC writes it: 32 lower-case hex digits, `.dir` for a folder's manifest. */
export const MD5_PATTERN = /^[0-9a-f]{32}(\.dir)?$/;
