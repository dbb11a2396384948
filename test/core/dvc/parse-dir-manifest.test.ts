import { describe, expect, it } from "vitest";
import { parseDirManifest } from "../../../src/core/dvc/parse-dir-manifest.js";

const H1 = "0123456789abcdef0123456789abcdef";
const H2 = "fedcba9876543210fedcba9876543210";

describe("parseDirManifest", () => {
  it("reads the manifest dvc writes", () => {
    const text = `[{"md5": "${H1}", "relpath": "a.txt"}, {"md5": "${H2}", "relpath": "sub/b.txt"}]`;
    expect(parseDirManifest({ file: "x.dir", text })).toEqual({ ok: true, value: { relpaths: ["a.txt", "sub/b.txt"], hashes: [H1, H2], sizes: undefined, sorted: true } });
  });

  it("accepts any JSON of that shape: whitespace, key order, escapes, extra keys, sizes", () => {
    const text = `\n [ {"relpath": "caf\\u00e9 \\"q\\".txt", "isexec": false, "meta": {"a": [1, {"b": null}]}, "md5": "${H2}", "size": 12},\n{"md5":"${H1}","relpath":"a"} ]\n`;
    expect(parseDirManifest({ file: "x.dir", text })).toEqual({ ok: true, value: { relpaths: ['café "q".txt', "a"], hashes: [H2, H1], sizes: [12, undefined], sorted: false } });
    expect(parseDirManifest({ file: "x.dir", text: "[]" })).toEqual({ ok: true, value: { relpaths: [], hashes: [], sizes: undefined, sorted: true } });
  });

  it("reports hashes of the wrong form and broken JSON with line and column", () => {
    const bad = parseDirManifest({ file: "x.dir", text: `[{"md5": "ABC", "relpath": "a"},\n {"relpath": "b"}]` });
    expect(bad.ok ? [] : bad.error.map((p) => [p.line, p.column, p.message])).toEqual([
      [1, 2, 'entry "a" has an md5 of the wrong form: "ABC"'],
      [2, 2, "entry 1 needs both `md5` and `relpath`"],
    ]);
    for (const text of ["", "{}", `[{"md5": "${H1}", "relpath": "a"}`, `[{"md5": 1, "relpath": "a"}]`, `[{"md5": "${H1}" "relpath": "a"}]`, `[] x`, `[{"md5": "${H1}", "relpath": "a}]`]) {
      const r = parseDirManifest({ file: "x.dir", text });
      expect(r.ok, text).toBe(false);
      expect(r.ok ? undefined : r.error[0]?.line).toBe(1);
    }
  });
});
