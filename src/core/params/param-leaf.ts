/** The type of a params leaf, as the file spells it: `1` is an int, `1.0` a float. */
export type ParamType = "string" | "int" | "float" | "bool" | "null" | "list" | "date";

/** One params leaf (`train.lr`), with its type and line for the override validator. */
export interface ParamLeaf {
  /** The key as a user writes it: segments joined by dots, a segment with a dot in quotes (`a."b.c"`). */
  readonly key: string;
  /** The exact key path: `["a", "b.c"]`. */
  readonly path: readonly string[];
  readonly value: unknown;
  readonly type: ParamType;
  readonly line: number | undefined;
}
