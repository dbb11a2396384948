import fc from "fast-check";
import { markdownish } from "../core/backlog/markdown-arbitraries.js";

/** Text made of `tokens` (weighted 6) and random characters (weighted 1), up to `maxLength` pieces. */
function tokenText(tokens: readonly string[], maxLength = 120): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) }), { maxLength })
    .map((parts) => parts.join(""));
}

/** What breaks text parsers: control characters, a BOM, lone surrogates, NUL, CR, wide characters. */
const NASTY = ["\u0000", "\uFEFF", "\uD800", "\uDC00", "\r", "\r\n", "\t", "é", "✅", "‚úÖ", "👩‍💻", "\u2028", "\\"];

const YAML = [
  "\n", "  ", "    ", "- ", ": ", ":", ",", "[", "]", "{", "}", "? ", "|", ">", "'", '"', "#", "---", "...", "<<: ",
  "&a ", "*a", "&b ", "*b", "!!binary ", "!!python/object ", "!x ", "!!str ", "%YAML 1.2\n",
  "a", "b", "a.b", '"a.b"', "k", "1", "-1", "0.1", "1e5", "1e999", "-0", "0x1F", "0o17", ".inf", "-.inf", ".nan", "null", "~", "true", "no",
  "12345678901234567890", "100000.0", "2026-12-01", "stages:", "schema: '2.0'", "cmd: ", "deps:", "outs:", "path: ", "md5: ", "hash: md5",
  "params:", "metrics:", "plots:", "foreach: ", "do:", "${item}", "${key}", "vars:", "wdir: ", "size: ", "nfiles: ", "x: ", "y: ",
  "template: ", "cache: false", "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e.dir", "../", "/etc/passwd",
  "runner: ", "local", "docker", "pipeline:", "permissions:", "train: ", "write", "gates:", "sandbox:", "network: false",
  ...NASTY,
];
const TOML = ["[a]", "[[a]]", "[a.b]", "a = ", "a.b.c = ", '"x.y" = ', "= ", "{", "}", "[", "]", ",", "1", "1e5", "1.0", "inf", "nan", "+inf", "'''", '"""', '"', "'", "1979-05-27T07:32:00Z", "true", "\n", " ", "#", ...NASTY];
const INI = ["[core]", "['remote \"s\"']", '[remote "s"]', "remote = ", "url = ", "s3://b/p", "gs://b/p", "/tmp/x", "\n", " = ", "=", ";", "#", "\\", "[", "]", '"', "autostage = true", ...NASTY];
const JSONISH = ["{", "}", "[", "]", ",", ":", '"md5"', '"relpath"', '"a"', '"d41d8cd98f00b204e9800998ecf8427e"', '"../x"', "1", "-1.5e3", "1e999", "null", "true", " ", "\n", '"', "\\u0000", "\\ud800", ...NASTY];
const COMMENT = ["/train", "/help", "/cancel", "/diff", "/build", "/ok-to-train", "/doctor", " ", "a=1", '"a.b"=1', "train.lr=0.05", "x=", "=1", '"', "'", "\n", "```", "~~~", "> ", "<!--", "-->", "    ", "@org/team", "https://x.test", "a=1e999", "a=0x10", "a.b.c.d=1", ...NASTY];
const OVERRIDE = ["a", ".", '"', "=", "1", "1e5", "1e999", "-", " ", "a.b", '"a.b"', "''", "\\", "[", "]", "{", "}", "true", "null", ...NASTY];
const PREDICT_BYTES = ["{", "}", '"instances"', ":", "[", "]", ",", "1", "-1.5e3", "1e999", "0.1", " ", "\n", "NaN", '"x"', "-", "e", ".", "0", "9".repeat(30), "null", "\u00a0"];

export const yamlText = fc.oneof({ weight: 4, arbitrary: tokenText(YAML) }, { weight: 1, arbitrary: fc.json({ maxDepth: 5 }) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) });
export const jsonText = fc.oneof({ weight: 3, arbitrary: tokenText(JSONISH) }, { weight: 2, arbitrary: fc.json({ maxDepth: 6 }) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) });
export const tomlText = fc.oneof({ weight: 4, arbitrary: tokenText(TOML) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) });
export const iniText = fc.oneof({ weight: 4, arbitrary: tokenText(INI) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) });
export const commentText = fc.oneof({ weight: 3, arbitrary: tokenText(COMMENT) }, { weight: 2, arbitrary: markdownish }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) });
export const overrideText = fc.oneof({ weight: 4, arbitrary: tokenText(OVERRIDE, 20) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) });
export const backlogText = fc.oneof({ weight: 4, arbitrary: markdownish }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) });
export const predictBytes = fc.oneof({ weight: 4, arbitrary: tokenText(PREDICT_BYTES) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) }).map((t) => Buffer.from(t));

/** A /predict body as JSON.parse gives it: well-formed envelopes with hostile values, and any JSON. */
export const predictBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    instances: fc.array(
      fc.oneof(
        fc.array(fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.constant(1e308), fc.array(fc.double(), { maxLength: 2 })), { maxLength: 6 }),
        fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e", "__proto__", "constructor"), fc.oneof(fc.double(), fc.string({ maxLength: 3 }))),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      { maxLength: 80 },
    ),
  }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** A run's plot files as the parse workers get them (`encodePlotFiles`), with hostile contents, or any text. */
export const plotRequestText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        dvcYaml: fc.option(fc.record({ file: fc.constant("dvc.yaml"), text: yamlText }), { nil: undefined }),
        head: fc.dictionary(fc.constantFrom("plots/a.json", "plots/b.csv", "c.tsv", "d.yaml", "e.png", "../x.json", "f.jsonl"), fc.oneof(jsonText, yamlText, tokenText([",", "\t", "\n", "a", "1", "0.5", '"', "x,y", "1e999", ...NASTY]))),
        base: fc.option(fc.dictionary(fc.constantFrom("plots/a.json", "plots/b.csv", "c.tsv"), jsonText), { nil: undefined }),
      })
      .map((files) => JSON.stringify(files)),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
);

const MIB = 1024 * 1024;

/** About 1 MB each: what a hostile contributor pushes to make a parser deep, wide, slow or big. */
export const craftedTexts: ReadonlyArray<readonly [string, () => string]> = [
  ["deep brackets", () => "[".repeat(MIB / 2) + "]".repeat(MIB / 2)],
  ["deep braces", () => '{"a":'.repeat(MIB / 10) + "1" + "}".repeat(MIB / 10)],
  ["deep indentation", () => Array.from({ length: 1400 }, (_, i) => `${" ".repeat(i)}a:`).join("\n")],
  ["100,000 keys", () => Array.from({ length: 100_000 }, (_, i) => `k${i}: ${i}`).join("\n")],
  ["alias bomb", () => ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`)].join("\n")],
  ["1 MB line", () => `a: ${"x".repeat(MIB)}`],
  ["unclosed quote", () => `a: "${"x ".repeat(MIB / 2)}`],
  ["100,000 list items", () => Array.from({ length: 100_000 }, () => "- [ ] x").join("\n")],
  ["deep dotted keys", () => `${Array(MIB / 4).fill("a").join(".")} = 1`],
  ["100,000 commands", () => Array.from({ length: 100_000 }, () => "/train a=1").join("\n")],
  ["1 MB of spaces and tabs inside a line", () => `a: x${" \t".repeat(MIB / 2)}y #c`],
  ["1 MB of spaces inside a command", () => `/train a=1${" ".repeat(MIB)}b=2`],
];

const items = (count: number, item: (i: number) => string) => Array.from({ length: count }, (_, i) => item(i)).join("\n");

/**
 * Backlog bodies shaped to hurt the markdown reader, under and over the backlog limits (2,500
 * lines, 24 columns of nesting: core/backlog/check-backlog-shape.ts) and the 256 KiB byte cap.
 */
export const craftedBacklogs: ReadonlyArray<readonly [string, () => string]> = [
  ["4,500 items (92 KB)", () => items(4500, (i) => `- [${i % 3 ? " " : "x"}] ${i}: item ${i}`)],
  ["1 MB of items", () => items(40_000, (i) => `- [ ] ${i}: Do the thing ${i} with words`)],
  ["2,500 items (the line limit)", () => items(2500, (i) => `- [${i % 3 ? " " : "x"}] ${i}: Do the thing ${i} with words`)],
  ["1,250 headings each with an item", () => items(1250, (i) => `### ${i}\n- [ ] x`)],
  ["2,500 lines of 3 nested bullets", () => items(2500, () => "- - - [ ] x")],
  ["2,500 lines quoted 22 deep", () => items(2500, () => `${">".repeat(22)} - [ ] x`)],
  ["2,500 lines indented up to 22 columns", () => items(2500, (i) => `${" ".repeat(Math.min(i, 11) * 2)}- [ ] x`)],
  ["1,250 legend headings", () => items(1250, () => "## Legend\n- [x] done")],
];

const KB64 = 65_536;
const fill = (unit: string) => unit.repeat(Math.ceil(KB64 / unit.length)).slice(0, KB64);

/**
 * Markdown bodies (64 KB, GitHub's cap on issue and pull request bodies) on which micromark took
 * seconds to minutes: inline runs (`*a*a…` ~25 s, `[a](`, `~~a`, `](`) and block markers
 * (`1. 1. …` ~2 min, `> - > - …`, 2,000 lines of 16 nested bullets, a 6,000-row table).
 */
export const craftedMarkdown: ReadonlyArray<readonly [string, () => string]> = [
  ...["*a", "[a](", "~~a", "](", "[a]", "*_", "![", "<!--", '[a](b "', "[a](<"].map((unit) => [`64 KB of \`${unit}\` on one line`, () => fill(unit)] as const),
  ["64 KB of `[` then `](x)`", () => "[".repeat(40_000) + "a" + "](x)".repeat(6_000)],
  ...["1. ", "> - ", "- ", "> "].map((unit) => [`64 KB of \`${unit}\` on one line`, () => `${fill(unit)}Completes #1 1.1`] as const),
  ["2,000 lines of 16 nested bullets", () => items(2000, () => `${"- ".repeat(16)}x`)],
  ["a 6,000-row table", () => `| a | b |\n|---|---|\n${"| x | y |\n".repeat(6000)}`.slice(0, KB64)],
  // Long runs of spaces inside a line: a regex such as /[ \t]+$/ or /\s*\[x\]$/ retries from every one of them.
  ...["# a", "- [ ] a", "a", "Completes #1 1.1", "| a", "> a"].map((start) => [`64 KB of spaces inside \`${start} …\``, () => `${start}${" \t".repeat(32_000)}#b [c]`] as const),
];

