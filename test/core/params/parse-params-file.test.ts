import { describe, expect, it } from "vitest";
import { flattenParamLeaves } from "../../../src/core/params/flatten-param-leaves.js";
import { flattenParams } from "../../../src/core/params/flatten-params.js";
import { parseParamsFile } from "../../../src/core/params/parse-params-file.js";

function leaves(file: string, text: string) {
  const r = parseParamsFile({ file, text });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  // A whole float is a boxed Number (it stays a float); show it as `1.0` here.
  const show = (v: unknown) => (v instanceof Number ? `${v.valueOf()}.0` : v);
  return flattenParamLeaves(r.value).map((l) => [l.key, show(l.value), l.type, l.line]);
}

describe("parseParamsFile + flattenParamLeaves", () => {
  it("types YAML leaves as the file spells them, with lines", () => {
    const text = ["train:", "  lr: 1.0", "  epochs: 3", "  hex: 0x1E", "  big: 1e3", "  name: run", "  on: true", "  none: null", "  layers: [8, 4]", "  empty: {}", "seed: 7", ""].join("\n");
    expect(leaves("params.yaml", text)).toEqual([
      ["train.lr", "1.0", "float", 2],
      ["train.epochs", 3, "int", 3],
      ["train.hex", 30, "int", 4],
      ["train.big", "1000.0", "float", 5],
      ["train.name", "run", "string", 6],
      ["train.on", true, "bool", 7],
      ["train.none", null, "null", 8],
      ["train.layers", [8, 4], "list", 9],
      ["seed", 7, "int", 11],
    ]);
  });

  it("types JSON and TOML leaves", () => {
    expect(leaves("p.json", '{\n  "a": {"b": 1.0, "c": 2},\n  "d": "x"\n}')).toEqual([
      ["a.b", "1.0", "float", 2],
      ["a.c", 2, "int", 2],
      ["d", "x", "string", 3],
    ]);
    expect(leaves("p.toml", 'seed = 1\n[train]\nlr = 1.0\nwhen = 2024-01-02\nl = [1, 2]\n')).toEqual([
      ["seed", 1, "int", undefined],
      ["train.lr", "1.0", "float", undefined],
      ["train.when", "2024-01-02", "date", undefined],
      ["train.l", [1, 2], "list", undefined],
    ]);
  });

  it("reads JSON as Python's json does: NaN, Infinity and -Infinity are floats, only outside strings", () => {
    const text = '{\n  "inf": Infinity,\n  "ninf": -Infinity,\n  "nan": NaN,\n  "s": "NaN \\" Infinity",\n  "l": [NaN]\n}';
    expect(leaves("m.json", text)).toEqual([
      ["inf", Infinity, "float", 2],
      ["ninf", -Infinity, "float", 3],
      ["nan", NaN, "float", 4],
      ["s", 'NaN " Infinity', "string", 5],
      ["l", [NaN], "list", 6],
    ]);
    // Still JSON: the constants' spelling is exact, and an error never quotes the masked text.
    expect(parseParamsFile({ file: "m.json", text: '{"a": nan}' })).toMatchObject({ ok: false, error: [{ file: "m.json" }] });
    expect(parseParamsFile({ file: "m.json", text: '{"a": Infinity,\n "b": }' })).toEqual({ ok: false, error: [{ file: "m.json", message: "invalid JSON: Unexpected token '}'" }] });
    // YAML keeps its own spelling: `Infinity` there is a string, `.inf` the float.
    expect(leaves("p.yaml", "a: Infinity\nb: .inf\n")).toEqual([
      ["a", "Infinity", "string", 1],
      ["b", Infinity, "float", 2],
    ]);
  });

  it("returns problems with lines for bad YAML, JSON, TOML and a non-mapping top level", () => {
    expect(parseParamsFile({ file: "p.yaml", text: "a: 1\na: 2\n" })).toMatchObject({ ok: false, error: [{ file: "p.yaml", line: 2 }] });
    expect(parseParamsFile({ file: "p.json", text: '{\n  "a": 1,\n}' })).toMatchObject({ ok: false, error: [{ file: "p.json", line: 3 }] });
    expect(parseParamsFile({ file: "p.toml", text: "a = 1\nb = \n" })).toMatchObject({ ok: false, error: [{ file: "p.toml", line: 2 }] });
    expect(parseParamsFile({ file: "p.yaml", text: "- 1\n- 2\n" })).toMatchObject({ ok: false, error: [{ line: 1, message: "the top level must be a mapping of names to values" }] });
    expect(parseParamsFile({ file: "p.yaml", text: "" })).toMatchObject({ ok: true, value: { data: {} } });
  });

  it("flattens like DVC: dots, lists as leaves, empty mappings dropped", () => {
    expect([...flattenParams({ a: { b: { c: 1 }, l: [1, { x: 2 }], e: {} }, z: null })]).toEqual([
      ["a.b.c", 1],
      ["a.l", [1, { x: 2 }]],
      ["z", null],
    ]);
  });

  it("hostile TOML: a key of 262,144 dotted segments is refused before the TOML reader builds its tables; a line of dots in a string is no key", () => {
    const deep = parseParamsFile({ file: "p.toml", text: `${Array(262_144).fill("a").join(".")} = 1` });
    expect(deep).toEqual({ ok: false, error: [{ file: "p.toml", message: "nesting is deeper than 64 levels (the limit for repository files)" }] });
    const header = parseParamsFile({ file: "p.toml", text: `[${Array(70).fill("t").join(".")}]\nk = 1\n` });
    expect(header.ok).toBe(false);
    const dots = parseParamsFile({ file: "p.toml", text: `s = """\n${".".repeat(200)}\n"""\n"a.b".c = 2\n` });
    expect(dots.ok && dots.value.paramLeaves.map((l) => l.key)).toEqual(["s", '"a.b".c']);
  });
});
