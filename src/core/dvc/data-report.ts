import type { Problem } from "../problem.js";
import type { DirManifest } from "./parse-dir-manifest.js";
import type { EntrySides } from "./entry-sides.js";

export type DataChangeKind = "added" | "deleted" | "modified" | "renamed";

/** One line of `dvc diff`: a tracked output or a file inside a tracked folder. */
export interface DataChange {
  /** The DVC root, repository-relative (`ml`), `""` for the repository root. */
  readonly root: string;
  readonly kind: DataChangeKind;
  /** Relative to the DVC root; a folder ends with `/`, as `dvc diff` prints it. The new path of a rename. */
  readonly path: string;
  /** Renamed only: the path at base. */
  readonly oldPath?: string | undefined;
  readonly isDir: boolean;
  /** Hash at base (deleted, modified, renamed); undefined for an output that was never hashed. */
  readonly oldHash?: string | undefined;
  /** Hash at head (added, modified, renamed). */
  readonly newHash?: string | undefined;
  /** Size change in bytes when both sides' sizes are known (sizes in the manifest, or an output's `size`). */
  readonly sizeDelta?: number | undefined;
  /** Path (relative to the root, no slash) of the tracked output this entry belongs to. */
  readonly dataset: string;
}

export interface FileCounts {
  readonly added: number;
  readonly deleted: number;
  readonly modified: number;
  readonly renamed: number;
}

/** One tracked output that changed: a dataset folder, a model file... */
export interface DatasetChange extends EntrySides {
  readonly root: string;
  readonly kind: DataChangeKind;
  /** Relative to the root, no trailing slash; the new path of a rename. */
  readonly path: string;
  readonly oldPath?: string | undefined;
  readonly isDir: boolean;
  /** Repository path of the declaring file (head's, else base's), and the dvc.lock stage. */
  readonly source: string;
  readonly stage?: string | undefined;
  /** undefined when a side's size is unknown (no `size` in dvc.lock / .dvc). */
  readonly sizeDelta: number | undefined;
  /** `nfiles` at base and head (folders). */
  readonly oldFiles?: number | undefined;
  readonly newFiles?: number | undefined;
  /** Files added, deleted, modified, renamed in it (a single-file output counts as one file). */
  readonly files: FileCounts;
  /** False when a `.dir` manifest was missing or invalid: its file-level changes are unknown. */
  readonly complete: boolean;
}

/** A `.dir` manifest that could not be read: the dataset is reported without its files. */
export interface NotInCache {
  readonly root: string;
  /** The dataset (relative to the root). */
  readonly path: string;
  readonly hash: string;
  readonly side: "base" | "head";
  /** `missing`: in no store; `invalid`: not a manifest; `unreadable`: a store failed (see problems). */
  readonly reason: "missing" | "invalid" | "unreadable";
}

export interface DataTotals {
  readonly datasets: number;
  readonly files: FileCounts;
  /** Sum of the known size changes, in bytes. */
  readonly sizeDelta: number;
  /** Datasets whose size change is unknown (not counted in `sizeDelta`). */
  readonly sizeUnknown: number;
}

/** The data diff of a pull request: every DVC root, datasets, file-level changes. */
export interface DataReport {
  readonly roots: readonly string[];
  readonly datasets: readonly DatasetChange[];
  /** Sorted by root, then path (old path for renames), as `dvc diff` sorts. */
  readonly changes: readonly DataChange[];
  readonly notInCache: readonly NotInCache[];
  readonly problems: readonly { readonly side: "base" | "head"; readonly problem: Problem }[];
  readonly totals: DataTotals;
}

/** What a `.dir` lookup gave. */
export type ManifestLookup =
  | { readonly status: "ok"; readonly manifest: DirManifest }
  | { readonly status: "missing" }
  | { readonly status: "invalid" | "unreadable"; readonly problems: readonly Problem[] };
