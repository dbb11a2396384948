import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import type { YamlLimits } from "./parse-yaml-document.js";

/** The tags of the YAML 1.2 core schema: the only ones a repository file may spell out. */
const CORE_TAGS = new Set(["str", "map", "seq", "null", "bool", "int", "float"].map((t) => `tag:yaml.org,2002:${t}`).concat("!"));
const MAX_PROBLEMS = 20;

interface Measured {
  readonly size: number;
  readonly depth: number;
}

interface Frame {
  readonly node: Node;
  /** A mapping's pairs (each visited as key, then value) or a sequence's items. */
  readonly items: readonly unknown[];
  readonly pairs: boolean;
  next: number;
  size: number;
  depth: number;
}

const LEAF: Measured = { size: 1, depth: 0 };

/**
 * One linear pass over a composed document, in document order (so an alias meets its anchor the
 * way YAML defines it). Refuses: tags outside the core schema (`!!python/object`, `!foo`),
 * aliases that name no earlier anchor or the node they sit in, more than `maxAliases` aliases,
 * duplicate keys, and a document whose values, aliases expanded, number more than `maxNodes` or
 * nest deeper than `maxDepth` (a "billion laughs" is refused here, before anyone expands it).
 * Returns the problems with their offsets; empty when the document is safe to read.
 */
export function checkYamlDocument(params: { doc: Document.Parsed; limits: YamlLimits }): Array<{ offset: number | undefined; message: string }> {
  const { doc, limits } = params;
  const problems: Array<{ offset: number | undefined; message: string }> = [];
  const say = (node: unknown, message: string) => problems.push({ offset: offsetOf(node), message });
  const root = doc.contents;
  if (!root) return problems;
  const anchors = new Map<string, Node>();
  // Only anchored nodes are measured for later: an alias can name nothing else.
  const done = new Map<Node, Measured>();
  let aliases = 0;
  const stack: Frame[] = [];

  const enter = (node: Node): Measured | undefined => {
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) say(node, `the tag \`${node.tag}\` is not allowed (only plain YAML values are)`);
    if (isAlias(node)) {
      if (++aliases > limits.maxAliases) throw new Stop(node, `more than ${limits.maxAliases} aliases (\`*name\`), the limit for repository files`);
      const target = anchors.get(node.source);
      if (!target) throw new Stop(node, `the alias \`*${node.source}\` names no anchor \`&${node.source}\` above it`);
      const measured = done.get(target);
      if (!measured) throw new Stop(node, `the alias \`*${node.source}\` sits inside the node it names`);
      return measured;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (isScalar(node)) {
      if (node.anchor) done.set(node, LEAF);
      return LEAF;
    }
    if (isMap(node)) {
      checkKeys(node.items, say);
      stack.push({ node, items: node.items, pairs: true, next: 0, size: 1, depth: 1 });
    } else if (isSeq(node)) stack.push({ node, items: node.items, pairs: false, next: 0, size: 1, depth: 1 });
    else return LEAF;
    return undefined;
  };

  const finish = (measured: Measured): void => {
    const parent = stack.at(-1);
    if (!parent) return;
    parent.size += measured.size;
    if (measured.depth + 1 > parent.depth) parent.depth = measured.depth + 1;
    if (parent.size > limits.maxNodes) throw new Stop(parent.node, `holds more than ${limits.maxNodes} values once its aliases are expanded (the limit for repository files)`);
    if (parent.depth > limits.maxDepth) throw new Stop(parent.node, `nesting is deeper than ${limits.maxDepth} levels once its aliases are expanded`);
  };

  try {
    const first = enter(root);
    if (first) finish(first);
    while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
      const frame = stack.at(-1)!;
      const child = nextChild(frame);
      if (child !== undefined) {
        if (child === null) continue;
        const measured = enter(child);
        if (measured) finish(measured);
        continue;
      }
      stack.pop();
      const measured = { size: frame.size, depth: frame.depth };
      if (frame.node.anchor) done.set(frame.node, measured);
      finish(measured);
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    problems.push({ offset: offsetOf(e.node), message: e.message });
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** The frame's next child (null: an empty key or value, skipped), or undefined when it has no more. */
function nextChild(frame: Frame): Node | null | undefined {
  if (!frame.pairs) {
    if (frame.next >= frame.items.length) return undefined;
    return (frame.items[frame.next++] as Node | null) ?? null;
  }
  const index = frame.next >> 1;
  if (index >= frame.items.length) return undefined;
  const pair = frame.items[index];
  const side = frame.next++ & 1;
  if (!isPair(pair)) return null;
  return ((side === 0 ? pair.key : pair.value) as Node | null) ?? null;
}

/** Duplicate scalar keys of one mapping (compared by value and type: `1` and `"1"` differ). */
function checkKeys(pairs: readonly unknown[], say: (node: unknown, message: string) => void): void {
  const keys = new Set<unknown>();
  for (const pair of pairs) {
    if (!isPair(pair)) continue;
    const key = pair.key as Node | null;
    if (!isScalar(key)) continue;
    if (keys.has(key.value)) say(key, `the key \`${String(key.value)}\` appears twice in one mapping`);
    keys.add(key.value);
  }
}

class Stop extends Error {
  constructor(
    readonly node: unknown,
    message: string,
  ) {
    super(message);
  }
}

function offsetOf(node: unknown): number | undefined {
  return (node as { range?: readonly number[] | null } | null | undefined)?.range?.[0];
}
