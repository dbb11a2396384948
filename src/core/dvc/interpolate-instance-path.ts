import { pyStr, type StageInstance } from "./list-stage-instances.js";

const reference = /^(?:item|key)(?:\.[\w-]+)*$/;

/**
 * A path as written in a `foreach`/`matrix` stage (`shards/${item.name}.txt`) -> the path of one
 * instance (`shards/small.txt`), as `dvc.parsing` interpolates it: `${key}`, `${item}` and
 * `${item.a.b}`, each value as Python's `str`. Null when the path needs anything else (vars from
 * params, `${item[0]}`, a float, a mapping): the caller then cannot know the path.
 */
export function interpolateInstancePath(template: string, instance: StageInstance): string | null {
  let out = "";
  let at = 0;
  for (let open = template.indexOf("${"); open >= 0; open = template.indexOf("${", at)) {
    const close = template.indexOf("}", open + 2);
    if (close < 0) return null;
    const expr = template.slice(open + 2, close).trim();
    if (!reference.test(expr)) return null;
    const [head, ...fields] = expr.split(".");
    let value: unknown = head === "key" ? instance.key : instance.item;
    for (const field of fields) {
      if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, field)) return null;
      value = (value as Record<string, unknown>)[field];
    }
    const text = pyStr(value);
    if (text === null) return null;
    out += template.slice(at, open) + text;
    at = close + 1;
  }
  return out + template.slice(at);
}
