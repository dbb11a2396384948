import type { ParamType } from "./param-leaf.js";

export type ParamsFormat = "yaml" | "json" | "toml";

/** A parsed params (or metrics) file: the plain value tree, and per dotted leaf its type and line. */
export interface ParamsFile {
  readonly file: string;
  readonly format: ParamsFormat;
  /** The top-level mapping, as plain JSON-like values (TOML dates become ISO strings). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly leaves: ReadonlyMap<string, { readonly type: ParamType; readonly line: number | undefined }>;
}
