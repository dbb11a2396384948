import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node } from "yaml";
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
  const root = params.doc.contents;
  if (!root) return [];
  const walk = new DocumentWalk(params.limits);
  walk.run(root);
  return walk.problems.slice(0, MAX_PROBLEMS);
}

/** The pass's state: an explicit stack (no recursion, whatever the depth), the anchors met so far and their measures. */
class DocumentWalk {
  readonly problems: Array<{ offset: number | undefined; message: string }> = [];
  private readonly anchors = new Map<string, Node>();
  // Only anchored nodes are measured for later: an alias can name nothing else.
  private readonly done = new Map<Node, Measured>();
  private readonly stack: Frame[] = [];
  private aliases = 0;

  constructor(private readonly limits: YamlLimits) {}

  run(root: Node): void {
    try {
      const first = this.enter(root);
      if (first) this.finish(first);
      while (this.stack.length > 0 && this.problems.length < MAX_PROBLEMS) {
        const frame = this.stack.at(-1)!;
        const child = nextChild(frame);
        if (child !== undefined) {
          if (child === null) continue;
          const measured = this.enter(child);
          if (measured) this.finish(measured);
          continue;
        }
        this.stack.pop();
        const measured = { size: frame.size, depth: frame.depth };
        if (frame.node.anchor) this.done.set(frame.node, measured);
        this.finish(measured);
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      this.problems.push({ offset: offsetOf(e.node), message: e.message });
    }
  }

  private readonly say = (node: unknown, message: string): void => {
    this.problems.push({ offset: offsetOf(node), message });
  };

  /** A node met: an alias or a scalar is measured at once; a collection is pushed, measured when its last child is done. */
  private enter(node: Node): Measured | undefined {
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) this.say(node, `the tag \`${node.tag}\` is not allowed (only plain YAML values are)`);
    if (isAlias(node)) return this.resolve(node);
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (isScalar(node)) {
      if (node.anchor) this.done.set(node, LEAF);
      return LEAF;
    }
    if (isMap(node)) {
      checkKeys(node.items, this.say);
      this.stack.push({ node, items: node.items, pairs: true, next: 0, size: 1, depth: 1 });
    } else if (isSeq(node)) this.stack.push({ node, items: node.items, pairs: false, next: 0, size: 1, depth: 1 });
    else return LEAF;
    return undefined;
  }

  /** An alias counts as the node it names, which must be an earlier anchor, already complete. */
  private resolve(node: Alias): Measured {
    if (++this.aliases > this.limits.maxAliases) throw new Stop(node, `more than ${this.limits.maxAliases} aliases (\`*name\`), the limit for repository files`);
    const target = this.anchors.get(node.source);
    if (!target) throw new Stop(node, `the alias \`*${node.source}\` names no anchor \`&${node.source}\` above it`);
    const measured = this.done.get(target);
    if (!measured) throw new Stop(node, `the alias \`*${node.source}\` sits inside the node it names`);
    return measured;
  }

  /** Adds a finished child to its parent's size and depth, stopping at the limits. */
  private finish(measured: Measured): void {
    const parent = this.stack.at(-1);
    if (!parent) return;
    parent.size += measured.size;
    if (measured.depth + 1 > parent.depth) parent.depth = measured.depth + 1;
    if (parent.size > this.limits.maxNodes) throw new Stop(parent.node, `holds more than ${this.limits.maxNodes} values once its aliases are expanded (the limit for repository files)`);
    if (parent.depth > this.limits.maxDepth) throw new Stop(parent.node, `nesting is deeper than ${this.limits.maxDepth} levels once its aliases are expanded`);
  }
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
