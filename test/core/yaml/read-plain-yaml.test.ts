import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { readPlainYaml } from "../../../src/core/yaml/read-plain-yaml.js";
import { yamlToJs } from "../../../src/core/yaml/yaml-to-js.js";
import { yamlText } from "../../fuzz/fuzz-arbitraries.js";
import { libraryShape, yamlNodeShape } from "./yaml-node-shape.js";

/** The fast reader must give exactly the library's document (nodes, values, ranges), and the same JS values. */
function expectSameAsLibrary(text: string): void {
  const fast = readPlainYaml(text, 64);
  if (!fast.ok) throw new Error(`not read: ${fast.what} at ${fast.offset} in ${JSON.stringify(text)}`);
  const lib = libraryShape(text);
  expect(lib.errors, JSON.stringify(text)).toEqual([]);
  expect(yamlNodeShape(fast.doc.contents), JSON.stringify(text)).toEqual(lib.shape);
  // An unresolved alias: \`checkYamlDocument\` refuses it before anyone converts the document.
  if (!(typeof lib.js === "object" && lib.js !== null && "throws" in lib.js)) expect(yamlToJs(fast.doc), JSON.stringify(text)).toEqual(lib.js);
}

const DVC_LOCK = `schema: '2.0'
stages:
  train:
    cmd: python src/train.py --epochs 3
      --seed 7
    deps:
    - path: data/prepared
      hash: md5
      md5: 3a9c07e8d1f4e7f2b9a2c1a0b5d4e3f2.dir
      size: 1234
      nfiles: 2
    params:
      params.yaml:
        train.lr: 0.05
        train.layers: [64, 32]
        "odd key": 1e5
    outs:
    - path: model.onnx   # the exported model
      md5: 0b6d1a4c5e7f8a9b0c1d2e3f4a5b6c7d
      size: 4096
  evaluate@lr-0.1:
    cmd:
    - python src/evaluate.py
    - >-
      echo folded
      text
    outs: []
`;

describe("readPlainYaml", () => {
  it("reads a dvc.lock as the yaml library does: compact items, comments, quoted keys, flow lists, multi-line plain and folded scalars", () => {
    expectSameAsLibrary(DVC_LOCK);
    expectSameAsLibrary(DVC_LOCK.replace(/\n/g, "\r\n"));
  });

  it("reads block scalars with each chomping, anchors and aliases, JSON, a leading `---` and an empty file", () => {
    for (const text of [
      "a: |\n  x\n   y\n\n  z\n\nb: |-\n  s\nc: |+\n  k\n\n",
      "base: &base {lr: 0.1, layers: [1, 2]}\nrun: *base\nlist:\n- &one 1\n- *one\n",
      '{\n  "a": {"b": [1, 2.5, -3e-2, true, null, "\\u00e9\\n"]},\n  "c": ""\n}\n',
      "---\n# a comment\nkey: 'it''s'\nother: \"two\n  lines\"\n",
      "- - a\n  - b\n- k: v\n  w: [x, {y: z}]\n-\n- ~\n",
      "",
      "# only a comment\n",
    ]) {
      expectSameAsLibrary(text);
    }
  });

  it("reads plain keys that start with `?`, `-` or `:` followed by a flow indicator, as the library does outside flow collections", () => {
    // Found by the property below: the library writes the key `?]` plain.
    for (const text of ["?]: {}\n", "-]: 1\n", ":{: x\n", "a:\n  ?,: 1\n"]) expectSameAsLibrary(text);
    // Also found by a property below: an empty value in a flow mapping is an empty scalar node.
    for (const text of ["{wdir: }", "{a: , b: 1}", "[{a: }]\n"]) expectSameAsLibrary(text);
  });

  it("gives the library's document for any value the library writes, in every style it writes (block, flow, quoted, folded)", () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constantFrom("a\nb", "x: y", "- z", "#c", " lead", "trail ", "1.0", "true", "~", "a\n\nb\n", "é✅", "'q'", '"d"', "1e5", "0x1F", "a #b"),
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("a", "1", "true", "a b", "x:y")), tie("v"), { maxKeys: 4 }),
      ),
    })).v;
    const style = fc.record({
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
      defaultStringType: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE", "BLOCK_LITERAL", "BLOCK_FOLDED"),
      defaultKeyType: fc.constantFrom(null, "PLAIN", "QUOTE_DOUBLE"),
      collectionStyle: fc.constantFrom("any", "block", "flow"),
    } as const);
    let read = 0;
    fc.assert(
      fc.property(value, style, (v, options) => {
        const text = stringify(v, options);
        // Block scalars with an indentation indicator (`|2`, text that starts with spaces) are
        // left to the library (files up to 32 KiB); everything else must be read, and read the same.
        if (/[|>][1-9]/.test(text) && !readPlainYaml(text, 64).ok) return;
        read++;
        expectSameAsLibrary(text);
        expectSameAsLibrary(text.replace(/\n/g, "\r\n"));
      }),
      { numRuns: 300 },
    );
    expect(read).toBeGreaterThan(250);
  });

  it("reads nothing the library would read differently: on any text it accepts, the library agrees", () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        if (readPlainYaml(text, 64).ok) expectSameAsLibrary(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("stops at what it does not read, saying what and where", () => {
    const stop = (text: string) => {
      const r = readPlainYaml(text, 64);
      return r.ok ? "read" : [r.offset, r.what.split(" ").slice(0, 3).join(" ")];
    };
    expect(stop("a: !!str 1\n")).toEqual([3, "a tag (`!`)"]);
    expect(stop("? a\n: b\n")).toEqual([0, "an explicit key"]);
    expect(stop("%YAML 1.2\n---\na: 1\n")).toEqual([0, "a directive (`%YAML`,"]);
    expect(stop("a: 1\n---\nb: 2\n")).toEqual([5, "a document marker"]);
    expect(stop("a:\n\tb: 1\n")).toEqual([3, "a tab where"]);
    expect(stop(`a: "${"x ".repeat(1000)}`)).toEqual([3, "a quoted value"]);
    expect(stop("- [ ] x\n".repeat(3))).toEqual([6, "more text after"]);
  });

  it("stops a hostile file in one pass: 500,000 `[` at the depth limit, 100,000 bad items at the first", () => {
    const deep = readPlainYaml("[".repeat(500_000) + "]".repeat(500_000), 64);
    expect(deep).toMatchObject({ ok: false, tooDeep: true, offset: 64 });
    const items = readPlainYaml(Array.from({ length: 100_000 }, () => "- [ ] x").join("\n"), 64);
    expect(items).toMatchObject({ ok: false, offset: 6, tooDeep: false });
    const keys = readPlainYaml(Array.from({ length: 100_000 }, (_, i) => `k${i}: ${i}`).join("\n"), 64);
    expect(keys.ok && (keys.doc.contents as { items: unknown[] }).items.length).toBe(100_000);
  });
});
