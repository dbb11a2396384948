import { describe, expect, it } from "vitest";
import { parseDvcLock } from "../../../src/core/dvc/parse-dvc-lock.js";
import { fixtureVersion } from "./fixture-files.js";

describe("parseDvcLock", () => {
  it("reads a schema 2.0 lock written by dvc 3", () => {
    const r = parseDvcLock({ file: "ml/dvc.lock", text: fixtureVersion("v1").get("ml/dvc.lock")! });
    expect(r.ok && r.value.schema).toBe("2.0");
    if (!r.ok) return;
    const [stage] = r.value.stages;
    expect(stage).toMatchObject({ name: "prepare", cmd: "python train.py", params: { "params.yaml": { "prepare.split": 0.25 } }, line: 3 });
    expect(stage!.outs).toEqual([
      { path: "data/prepared", hash: "adaf9bbbeefad87758eea24642c4e31b.dir", hashName: "md5", isDir: true, size: 31, nfiles: 5, cache: true, line: 19 },
      { path: "metrics.json", hash: "12a2e5bd38b417c303ae65274807aa8c", hashName: "md5", isDir: false, size: 122, nfiles: undefined, cache: true, line: 24 },
    ]);
  });

  it("reads the DVC 1.x layout (stages at the top level, legacy md5)", () => {
    const text = ["train:", "  cmd: python train.py", "  outs:", "  - path: model.pkl", "    md5: 0123456789abcdef0123456789abcdef", ""].join("\n");
    const r = parseDvcLock({ file: "dvc.lock", text });
    expect(r).toMatchObject({ ok: true, value: { schema: "1", stages: [{ name: "train", outs: [{ path: "model.pkl", hashName: "md5-dos2unix", isDir: false }] }] } });
  });

  it("reads a 2.0 lock of DVC 2 (no `hash: md5`) and foreach stage names", () => {
    const text = ["schema: '2.0'", "stages:", "  train@small:", "    cmd: [python a.py, python b.py]", "    outs:", "    - path: out", "      md5: 0123456789abcdef0123456789abcdef.dir", ""].join("\n");
    const r = parseDvcLock({ file: "dvc.lock", text });
    expect(r).toMatchObject({ ok: true, value: { stages: [{ name: "train@small", cmd: ["python a.py", "python b.py"], outs: [{ hashName: "md5-dos2unix", isDir: true }] }] } });
  });

  it("reports hashes of the wrong form with their line, without throwing", () => {
    const text = ["schema: '2.0'", "stages:", "  s:", "    outs:", "    - path: a", "      md5: XYZ", "    - path: b", "      md5: 12", "      size: -1", ""].join("\n");
    const r = parseDvcLock({ file: "ml/dvc.lock", text });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((p) => [p.line, p.path, p.message.slice(0, 40)])).toEqual([
      [6, "stages.s.outs[0].md5", '`md5` must be 32 lower-case hex digits ('],
      [8, "stages.s.outs[1].md5", '`md5` must be 32 lower-case hex digits ('],
    ]);
  });

  it("reports invalid YAML, an unknown schema and a non-mapping stage", () => {
    expect(parseDvcLock({ file: "dvc.lock", text: "a: [1\n" })).toMatchObject({ ok: false, error: [{ file: "dvc.lock", line: 2 }] });
    expect(parseDvcLock({ file: "dvc.lock", text: "schema: '3.0'\n" })).toMatchObject({ ok: false, error: [{ line: 1, path: "schema" }] });
    expect(parseDvcLock({ file: "dvc.lock", text: "schema: '2.0'\nstages:\n  s: 1\n" })).toMatchObject({ ok: false, error: [{ line: 3, path: "stages.s" }] });
    expect(parseDvcLock({ file: "dvc.lock", text: "- 1\n" })).toMatchObject({ ok: false, error: [{ message: "dvc.lock must be a mapping" }] });
    expect(parseDvcLock({ file: "dvc.lock", text: "" })).toEqual({ ok: true, value: { schema: "2.0", stages: [] } });
  });
});
