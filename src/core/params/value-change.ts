import type { PyNumber } from "./py-number.js";

/** One line of `dvc params diff` / `dvc metrics diff`. `undefined` old/new: absent on that side. */
export interface ValueChange {
  /** The params or metrics file, as given (repository or DVC-root relative). */
  readonly path: string;
  /** Dotted key (`train.lr`); `""` when the whole file is one value. */
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
  /** new - old, when both are numbers (booleans count as 0/1, as in Python). */
  readonly diff?: PyNumber | undefined;
  readonly changed: boolean;
}
