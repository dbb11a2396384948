import type { LineCounter } from "yaml";

/** 1-based line of a yaml node (anything with a `range`), or undefined. */
export function yamlNodeLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as { range?: readonly number[] | null } | null | undefined)?.range;
  const start = range?.[0];
  return start === undefined ? undefined : lines.linePos(start).line;
}
