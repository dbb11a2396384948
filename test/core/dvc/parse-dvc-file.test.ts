import { describe, expect, it } from "vitest";
import { parseDvcFile } from "../../../src/core/dvc/parse-dvc-file.js";
import { fixtureVersion } from "./fixture-files.js";

describe("parseDvcFile", () => {
  it("reads a .dvc file written by `dvc add`", () => {
    const r = parseDvcFile({ file: "ml/data/raw.dvc", text: fixtureVersion("v0").get("ml/data/raw.dvc")! });
    expect(r).toEqual({
      ok: true,
      value: { outs: [{ path: "raw", hash: "85eeac91c2ae0f113a6db0ab029af1eb.dir", hashName: "md5", isDir: true, size: 30, nfiles: 5, cache: true, line: 2 }], deps: [], wdir: undefined },
    });
  });

  it("reads a DVC 1 .dvc file with wdir, its own md5, and cache: false", () => {
    const text = ["md5: ffffffffffffffffffffffffffffffff", "wdir: ..", "outs:", "- md5: 0123456789abcdef0123456789abcdef", "  path: data.csv", "  cache: false", ""].join("\n");
    expect(parseDvcFile({ file: "d/x.dvc", text })).toMatchObject({ ok: true, value: { wdir: "..", outs: [{ path: "data.csv", hashName: "md5-dos2unix", cache: false }] } });
  });

  it("reports a bad hash and a missing path with lines", () => {
    const text = ["outs:", "- md5: 0123", "  path: a", "- md5: 0123456789abcdef0123456789abcdef", ""].join("\n");
    const r = parseDvcFile({ file: "a.dvc", text });
    expect(r.ok ? [] : r.error.map((p) => [p.line, p.path])).toEqual([
      [2, "outs[0].md5"],
      [4, "outs[1]"],
    ]);
    expect(parseDvcFile({ file: "a.dvc", text: "outs:\n- md5: 12345678901234567890123456789012\n  path: digits\n" })).toMatchObject({
      ok: true,
      value: { outs: [{ hash: "12345678901234567890123456789012" }] },
    });
    expect(parseDvcFile({ file: "a.dvc", text: "just text" })).toMatchObject({ ok: false, error: [{ file: "a.dvc", line: 1 }] });
  });
});
