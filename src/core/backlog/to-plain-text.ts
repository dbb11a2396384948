import type { Nodes } from "mdast";

/**
 * The text a reader sees in a markdown node: markup dropped, link text kept, a shortcut
 * reference such as `[AI]` kept with its brackets (it is a role tag when the body happens to
 * define `[AI]: …`), hard breaks as newlines. `code: false` drops inline code, for text that
 * must not count what is quoted as code. Iterative, so deep nesting cannot overflow the stack.
 */
export function toPlainText(node: Nodes, options: { code?: boolean } = {}): string {
  const keepCode = options.code ?? true;
  let out = "";
  const stack: Array<Nodes | string> = [node];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined) break;
    if (typeof next === "string") {
      out += next;
      continue;
    }
    switch (next.type) {
      case "text":
        out += next.value;
        break;
      case "inlineCode":
        if (keepCode) out += next.value;
        break;
      case "break":
        out += "\n";
        break;
      case "image":
      case "imageReference":
        out += next.alt ?? "";
        break;
      case "html":
      case "code":
      case "footnoteReference":
      case "definition":
      case "footnoteDefinition":
        break;
      case "linkReference":
        if (next.referenceType !== "full") {
          stack.push("]");
          pushChildren(stack, next.children);
          stack.push("[");
        } else {
          pushChildren(stack, next.children);
        }
        break;
      default:
        if ("children" in next) pushChildren(stack, next.children);
        else if ("value" in next && typeof next.value === "string") out += next.value;
    }
  }
  return out;
}

function pushChildren(stack: Array<Nodes | string>, children: readonly Nodes[]): void {
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (child) stack.push(child);
  }
}
