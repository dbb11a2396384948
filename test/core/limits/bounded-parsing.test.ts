import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../../src/core/compare-code-points.js";
import { matchesTemplate } from "../../../src/core/dvc/collect-data-version.js";
import { DEFAULT_PARSE_LIMITS } from "../../../src/core/limits/parse-limits.js";
import { parseRepositoryFile, type ParsedKind } from "../../../src/core/limits/parse-repository-file.js";

const parse = <K extends ParsedKind>(kind: K, file: string, text: string) => parseRepositoryFile({ kind, file, text });
const firstProblem = <K extends ParsedKind>(kind: K, file: string, text: string) => {
  const outcome = parse(kind, file, text);
  return outcome.ok ? undefined : outcome.error[0];
};

/** A "billion laughs": ten levels of nine aliases each. */
const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`)].join("\n");

describe("repository files are parsed under limits, and never throw", () => {
  it.each([
    ["params", "ml/params.yaml"],
    ["params", "ml/params.json"],
    ["metrics", "metrics.yaml"],
    ["dvc-lock", "dvc.lock"],
    ["dvc-yaml", "dvc.yaml"],
    ["dvc-file", "data.dvc"],
  ] as const)("%s %s: 500,000 `[` then `]` is refused as too deep, naming the file and the limit", (kind, file) => {
    const problem = firstProblem(kind, file, "[".repeat(500_000) + "]".repeat(500_000));
    expect(problem).toMatchObject({ file, message: expect.stringMatching(/nesting is deeper than 64 levels/) as unknown });
  });

  it("refuses an alias bomb, an alias without its anchor, an alias inside its own anchor, and custom tags", () => {
    expect(firstProblem("params", "p.yaml", aliasBomb)?.message).toMatch(/holds more than 1000000 values once its aliases are expanded/);
    expect(firstProblem("dvc-yaml", "dvc.yaml", `stages:\n  s:\n    outs: ${"[".repeat(10)}*x${"]".repeat(10)}\n`)).toMatchObject({ file: "dvc.yaml", line: 3, message: "the alias `*x` names no anchor `&x` above it" });
    expect(firstProblem("params", "p.yaml", "a: &a [1, *a]\n")?.message).toBe("the alias `*a` sits inside the node it names");
    expect(firstProblem("params", "p.yaml", "a: !!binary aGVsbG8=\n")?.message).toMatch(/the tag `tag:yaml.org,2002:binary` is not allowed/);
    expect(firstProblem("params", "p.yaml", "a: !shell rm -rf /\n")?.message).toMatch(/the tag `!shell` is not allowed/);
    const many = `a: &a 1\nl: [${Array(101).fill("*a").join(", ")}]\n`;
    expect(firstProblem("params", "p.yaml", many)?.message).toBe("more than 100 aliases (`*name`), the limit for repository files");
  });

  it("reads aliases within the limits like YAML defines them (the last anchor above)", () => {
    const outcome = parse("params", "p.yaml", "base: &b {lr: 0.1}\ntrain: *b\nx: &b 2\ny: *b\n");
    expect(outcome.ok && outcome.value.data).toEqual({ base: { lr: 0.1 }, train: { lr: 0.1 }, x: 2, y: 2 });
    expect(outcome.ok && outcome.value.paramLeaves.map((l) => l.key)).toEqual(["base.lr", "train.lr", "x", "y"]);
  });

  it("refuses deep TOML (dotted keys and inline tables) and deep JSON in a manifest's extra keys", () => {
    expect(firstProblem("params", "p.toml", `${Array(200).fill("a").join(".")} = 1\n`)?.message).toMatch(/nesting is deeper than 64 levels/);
    expect(firstProblem("params", "p.toml", `a = ${"{b = ".repeat(100)}1${"}".repeat(100)}\n`)?.message).toMatch(/deeper than 64|invalid TOML/);
    const manifest = `[{"md5": "${"a".repeat(32)}", "relpath": "x", "extra": ${"[".repeat(100_000)}${"]".repeat(100_000)}}]`;
    expect(firstProblem("dir-manifest", "cache/ab.dir", manifest)?.message).toMatch(/nesting is deeper than 64 levels/);
  });

  it("reads 20,000 keys in one pass, finding a repeated key without comparing every pair", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join("\n");
    const outcome = parse("params", "p.yaml", text);
    expect(outcome.ok && outcome.value.paramLeaves.length).toBe(20_000);
    expect(firstProblem("params", "p.yaml", `${text}\nk5: 1\n`)).toMatchObject({ line: 20_001, message: "the key `k5` appears twice in one mapping" });
  });

  it("refuses files over their kind's byte cap, counted in UTF-8", () => {
    const caps = DEFAULT_PARSE_LIMITS.maxBytes;
    expect(firstProblem("dvc-config", ".dvc/config", `# ${"é".repeat(caps["dvc-config"] / 2)}`)?.message).toBe("is larger than the 64 KiB the bot reads of a DVC config, so it was not read");
    expect(parse("dvc-config", ".dvc/config", `# ${"é".repeat(caps["dvc-config"] / 2 - 2)}`).ok).toBe(true);
  });

  it("keeps a key named __proto__ as data, in YAML, JSON and TOML", () => {
    for (const [file, text] of [
      ["p.yaml", "__proto__: {polluted: 1}\n"],
      ["p.json", '{"__proto__": {"polluted": 1}}'],
      ["p.toml", "[__proto__]\npolluted = 1\n"],
    ] as const) {
      const outcome = parse("params", file, text);
      expect(outcome.ok && Object.getPrototypeOf(outcome.value.data)).toBe(Object.prototype);
      expect(outcome.ok && outcome.value.paramLeaves.map((l) => l.key)).toEqual(["__proto__.polluted"]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe("the backlog line limit", () => {
  const body = Array.from({ length: 3000 }, (_, i) => `- [${i % 2 ? "x" : " "}] item ${i + 1}`).join("\n");

  it("refuses a backlog past 2,500 lines by default, naming the limit, and reads it when the operator raises it", () => {
    const refused = parseRepositoryFile({ kind: "backlog", file: "issue #7", text: body });
    expect(refused.ok ? undefined : refused.error[0]?.message).toBe("was not read as a backlog: it has more than 2,500 lines; the bot reads backlogs of up to 2,500 lines");
    const read = parseRepositoryFile({ kind: "backlog", file: "issue #7", text: body }, { ...DEFAULT_PARSE_LIMITS, maxBacklogLines: 3500 });
    expect(read.ok && read.value.items.length).toBe(3000);
    expect(read.ok && read.value.items.filter((item) => item.state === "done").length).toBe(1500);
  });
});

describe("a merged pull request's body", () => {
  it("is read for the backlog items it completes under its own byte cap, naming the limit past it", () => {
    const read = parseRepositoryFile({ kind: "pr-body", file: "pull request #3's body", text: "Completes #12 [AI] 2.6" });
    expect(read.ok && read.value.map((r) => [r.issue, r.role, r.number])).toEqual([[12, "AI", "2.6"]]);
    const refused = parseRepositoryFile({ kind: "pr-body", file: "pull request #3's body", text: "Completes #12 2.6 ".repeat(20_000) });
    expect(refused.ok ? undefined : refused.error[0]).toMatchObject({ file: "pull request #3's body", message: expect.stringMatching(/256 KiB/) as unknown });
  });
});

describe("matchesTemplate", () => {
  it("matches `${...}` parts like the regular expression did, without backtracking on hostile patterns", () => {
    expect(matchesTemplate("data/${item}.csv", "data/a.csv")).toBe(true);
    expect(matchesTemplate("data/${item}.csv", "data/a.json")).toBe(false);
    expect(matchesTemplate("${a}-${b}", "x-y-z")).toBe(true);
    expect(matchesTemplate("${a}ab${b}ab", "abab")).toBe(true);
    expect(matchesTemplate("${a}ab${b}ab", "aab")).toBe(false);
    // 2,000 parts against a 20,000-character path: instant, where `.*?` per part took ages.
    expect(matchesTemplate(`${"${x}a".repeat(2000)}b`, "a".repeat(20_000))).toBe(false);
  });
});

describe("compareCodePoints", () => {
  it("orders by code point like Python's sorted(), not by UTF-16 unit", () => {
    const emoji = "\u{1F600}"; // a surrogate pair in UTF-16
    const privateUse = "\uE000";
    expect([emoji, privateUse, "a"].sort()).toEqual(["a", emoji, privateUse]); // JavaScript's order
    expect([emoji, privateUse, "a"].sort(compareCodePoints)).toEqual(["a", privateUse, emoji]); // Python's
  });
});
