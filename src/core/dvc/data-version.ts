import type { Problem } from "../problem.js";

/** One tracked output (a dataset, a model file...) of one DVC root at one version. */
export interface DvcOutput {
  /** The DVC root, repository-relative (`ml`), `""` for the repository root. */
  readonly root: string;
  /** Relative to the DVC root, `/`-separated, no trailing slash: the key `dvc diff` prints. */
  readonly path: string;
  /** undefined: declared in dvc.yaml but never hashed (the stage has not run). */
  readonly hash: string | undefined;
  readonly hashName: string;
  readonly isDir: boolean;
  readonly size: number | undefined;
  readonly nfiles: number | undefined;
  /** Repository path of the file that declares it (`ml/dvc.lock`, `ml/data/raw.dvc`). */
  readonly source: string;
  readonly stage: string | undefined;
  readonly line: number | undefined;
}

/** Every tracked output of a repository at one version, by DVC root then path. */
export interface DataVersion {
  readonly roots: ReadonlyMap<string, ReadonlyMap<string, DvcOutput>>;
  readonly problems: readonly Problem[];
  /** Metadata files that could not be parsed: their outputs are unknown at this version. */
  readonly failedSources: ReadonlySet<string>;
}
