import { describe, expect, it } from "vitest";
import { parseRepositoryFile, type ParsedKind } from "../../../src/core/limits/parse-repository-file.js";
import { FULL_YAML_MAX_CHARS } from "../../../src/core/yaml/parse-yaml-document.js";

const parse = <K extends ParsedKind>(kind: K, file: string, text: string) => parseRepositoryFile({ kind, file, text });

/** `lines` lines of `key_i: i` after `head`: a file of about `lines` * 12 bytes. */
const padded = (head: string, lines: number) => head + Array.from({ length: lines }, (_, i) => `key_${i}: ${i}`).join("\n") + "\n";

/** A dvc.lock with one stage and `outs` outputs, as `dvc repro` writes it. */
function bigLock(outs: number): string {
  const entries = Array.from({ length: outs }, (_, i) => `    - path: data/part-${i}.csv\n      hash: md5\n      md5: ${i.toString(16).padStart(32, "0")}\n      size: ${1000 + i}\n`);
  return `schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py\n    outs:\n${entries.join("")}`;
}

describe("parseYamlDocument: the fast reader, and the library for what it does not take", () => {
  it("reads a small file with YAML the fast reader does not take (a core tag, an explicit key) through the library", () => {
    const outcome = parse("params", "ml/params.yaml", "a: !!str 1\n? b\n: 2\n");
    expect(outcome.ok && outcome.value.data).toEqual({ a: "1", b: 2 });
  });

  it(`refuses such YAML in a file over ${FULL_YAML_MAX_CHARS / 1024} KiB with a problem naming the file, the line and the limit`, () => {
    const text = padded("a: !!str 1\n", 4000);
    expect(text.length).toBeGreaterThan(FULL_YAML_MAX_CHARS);
    expect(parse("params", "ml/params.yaml", text)).toEqual({
      ok: false,
      error: [{ file: "ml/params.yaml", line: 1, column: 4, message: "a tag (`!`): YAML files over 32 KiB are read only in the plain YAML that DVC and editors write (block and flow collections, quoted and block scalars, anchors and aliases, comments)" }],
    });
  });

  it("reads a big plain file through the fast reader: a dvc.lock of 5,000 outputs, a params file of 50,000 keys", () => {
    const lock = parse("dvc-lock", "dvc.lock", bigLock(5000));
    expect(lock.ok && lock.value.stages[0]?.outs.length).toBe(5000);
    expect(lock.ok && lock.value.stages[0]?.outs[4999]).toMatchObject({ path: "data/part-4999.csv", size: 5999, line: 5 + 4999 * 4 + 1 });
    const params = parse("params", "ml/params.yaml", padded("", 50_000));
    expect(params.ok && params.value.paramLeaves.length).toBe(50_000);
    expect(params.ok && params.value.leaves.get("key_49999")).toEqual({ type: "int", line: 50_000 });
  });

  it("hostile: 100,000 list items that are not YAML stop at the first, naming the file and line, in every YAML kind", () => {
    const items = Array.from({ length: 100_000 }, () => "- [ ] x").join("\n");
    for (const [kind, file] of [["params", "ml/params.yaml"], ["dvc-yaml", "dvc.yaml"], ["dvc-lock", "dvc.lock"], ["dvc-file", "data.dvc"]] as const) {
      const outcome = parse(kind, file, items);
      expect(outcome.ok ? undefined : outcome.error[0]).toMatchObject({ file, line: 1, column: 7, message: expect.stringMatching(/^more text after a value on its line: YAML files over 32 KiB/) as unknown });
    }
  });

  it("hostile: a dvc.lock of 100,000 stages that are not stages lists its first 50 problems, then says more follow", () => {
    const outcome = parse("dvc-lock", "dvc.lock", padded("", 100_000));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toHaveLength(51);
    expect(outcome.error[0]).toMatchObject({ file: "dvc.lock", line: 1, path: "key_0" });
    expect(outcome.error[50]).toEqual({ file: "dvc.lock", message: "more problems follow; only the first 50 are listed" });
  });
});
