/** The type of a params leaf, as the file spells it: `1` is an int, `1.0` a float. */
export type ParamType = "string" | "int" | "float" | "bool" | "null" | "list" | "date";

/** One flattened params leaf (`train.lr`), with its type and line for the override validator. */
export interface ParamLeaf {
  readonly key: string;
  readonly value: unknown;
  readonly type: ParamType;
  readonly line: number | undefined;
}
