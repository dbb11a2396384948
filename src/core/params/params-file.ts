import type { ParamLeaf, ParamType } from "./param-leaf.js";

export type ParamsFormat = "yaml" | "json" | "toml";

/** A parsed params (or metrics) file: the plain value tree, and per dotted leaf its type and line. */
export interface ParamsFile {
  readonly file: string;
  readonly format: ParamsFormat;
  /** The top-level mapping, as plain JSON-like values (TOML dates become ISO strings; see `PyNumber` for numbers). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Per DVC-style dotted key (`a.b`, ambiguous when a key holds a dot), its type and line. */
  readonly leaves: ReadonlyMap<string, { readonly type: ParamType; readonly line: number | undefined }>;
  /** Every leaf, in file order, addressed by its exact key path (what overrides match). */
  readonly paramLeaves: readonly ParamLeaf[];
}
