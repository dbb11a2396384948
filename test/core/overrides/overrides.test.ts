import { describe, expect, it } from "vitest";
import { parseInline } from "../../../src/core/limits/parse-repository-file.js";
import { applyOverrides } from "../../../src/core/overrides/apply-overrides.js";
import { checkOverrides } from "../../../src/core/overrides/check-overrides.js";
import { parseOverride, type Override } from "../../../src/core/overrides/parse-override.js";
import { validateOverrides } from "../../../src/core/overrides/validate-overrides.js";
import { parseParamsFile } from "../../../src/core/params/parse-params-file.js";

const yaml = [
  "# Parameters",
  "data:",
  "  n_samples: 2000   # rows",
  "train:",
  "  model: gradient_boosting",
  "  learning_rate: 0.1",
  "  n_estimators: 100",
  "  warm_start: false",
  "  layers: [64, 32]",
  "",
].join("\n");

function files(text = yaml, file = "ml/params.yaml") {
  const parsed = parseParamsFile({ file, text });
  if (!parsed.ok) throw new Error(`fixture must parse: ${JSON.stringify(parsed.error)}`);
  return [{ file, leaves: parsed.value.paramLeaves }];
}

/** `key=value` as a user writes it. */
function ov(raw: string): Override {
  const parsed = parseOverride(raw);
  if (!parsed?.ok) throw new Error(`not an override: ${raw}`);
  return parsed.value;
}

/** Validates, writes into the text, parses it back: the written leaf's value and type. */
function roundTrip(file: string, text: string, raw: string): { text: string; value: unknown; type: string | undefined } {
  const checked = validateOverrides({ overrides: [ov(raw)], files: files(text, file) });
  if (!checked.ok) throw new Error(checked.error.join("\n"));
  const out = applyOverrides({ file, text, overrides: checked.value });
  const back = parseParamsFile({ file, text: out });
  if (!back.ok) throw new Error(JSON.stringify(back.error));
  const leaf = back.value.paramLeaves.find((l) => JSON.stringify(l.path) === JSON.stringify(checked.value[0]!.path));
  return { text: out, value: leaf?.value, type: leaf?.type };
}

describe("validateOverrides", () => {
  it("types each override by its leaf", () => {
    const result = validateOverrides({ overrides: [ov("train.learning_rate=0.05"), ov("train.n_estimators=200"), ov("train.warm_start=True"), ov("train.model=random_forest")], files: files() });
    expect(result).toEqual({
      ok: true,
      value: [
        { file: "ml/params.yaml", key: "train.learning_rate", path: ["train", "learning_rate"], value: 0.05, literal: "0.05", type: "float" },
        { file: "ml/params.yaml", key: "train.n_estimators", path: ["train", "n_estimators"], value: 200, literal: "200", type: "int" },
        { file: "ml/params.yaml", key: "train.warm_start", path: ["train", "warm_start"], value: true, literal: "true", type: "bool" },
        { file: "ml/params.yaml", key: "train.model", path: ["train", "model"], value: "random_forest", literal: '"random_forest"', type: "string" },
      ],
    });
  });

  it("lists every problem and the valid keys", () => {
    const result = validateOverrides({
      overrides: [ov("lr=0.1"), ov("learning_rate=0.1"), ov("train.n_estimators=2.5"), ov("train=x"), ov("train.layers=[1]"), ov("train.learning_rate=1e999")],
      files: files(),
    });
    expect(result).toEqual({
      ok: false,
      error: [
        "`lr` is not a parameter in `ml/params.yaml`.",
        "`learning_rate` is not a parameter in `ml/params.yaml`. Did you mean `train.learning_rate`?",
        "`train.n_estimators` is an integer in `ml/params.yaml` (line 7); `2.5` is not (write e.g. `200`).",
        "`train` is not a parameter in `ml/params.yaml`. It is a group; set one of its keys, e.g. `train.model=…`.",
        "`train.layers` is a list in `ml/params.yaml` (line 9); `[1]` is not: lists cannot be overridden from a comment.",
        "`train.learning_rate` is a number in `ml/params.yaml` (line 6); `1e999` is not a finite number (it is too large for a float).",
        "Valid keys: `data.n_samples`, `train.model`, `train.learning_rate`, `train.n_estimators`, `train.warm_start`.",
      ],
    });
  });

  it("refuses a key given twice, however it is spelled", () => {
    const result = validateOverrides({ overrides: [ov("train.learning_rate=0.05"), ov('"train".learning_rate=0.06')], files: files() });
    expect(result.ok || result.error[0]).toBe('`"train".learning_rate` is given twice; give each parameter once.');
  });
});

describe("override types survive the round trip (YAML, JSON, TOML)", () => {
  const formats = [
    ["p.yaml", "a:\n  lr: 0.5\n  n: 3\n  f: 100000.0\n  big: 12345678901234567890\n  s: x\n"],
    ["p.json", '{"a": {"lr": 0.5, "n": 3, "f": 1e5, "big": 12345678901234567890, "s": "x"}}\n'],
    ["p.toml", '[a]\nlr = 0.5\nn = 3\nf = 1e5\nbig = 1\ns = "x"\n'],
  ] as const;

  it.each(formats)("%s: an int stays an int, a float a float (even written whole)", (file, text) => {
    expect(roundTrip(file, text, "a.n=7")).toMatchObject({ value: 7, type: "int" });
    expect(roundTrip(file, text, "a.lr=1")).toMatchObject({ value: new Number(1), type: "float" });
    expect(roundTrip(file, text, "a.f=2e5")).toMatchObject({ value: new Number(200000), type: "float" });
    expect(roundTrip(file, text, "a.s=123")).toMatchObject({ value: "123", type: "string" });
  });

  it.each(formats)("%s: big integers are written and read back exactly", (file, text) => {
    const { value, type } = roundTrip(file, text, "a.big=123456789012345678901234567890");
    expect([value, type]).toEqual([123456789012345678901234567890n, "int"]);
  });

  it("edits YAML and JSON in place: every other value keeps its spelling", () => {
    expect(roundTrip("p.json", '{"a": {"lr": 0.5, "f": 1e5, "g": 1.0}}', "a.lr=0.25").text).toBe('{"a": {"lr": 0.25, "f": 1e5, "g": 1.0}}');
    const checked = validateOverrides({ overrides: [ov("train.learning_rate=1"), ov("data.n_samples=500"), ov("train.model=true")], files: files() });
    const out = applyOverrides({ file: "ml/params.yaml", text: yaml, overrides: checked.ok ? checked.value : [] });
    expect(out).toBe(yaml.replace("0.1", "1.0").replace("2000", "500").replace("gradient_boosting", '"true"'));
  });

  it('addresses a key that holds a dot unambiguously: `"a.b"=1` is not `a.b=1`', () => {
    const text = '"a.b": 1\na:\n  b: 2\n';
    const both = validateOverrides({ overrides: [ov('"a.b"=10'), ov("a.b=20")], files: files(text, "p.yaml") });
    expect(both.ok && both.value.map((o) => [o.key, o.path])).toEqual([
      ['"a.b"', ["a.b"]],
      ["a.b", ["a", "b"]],
    ]);
    const out = applyOverrides({ file: "p.yaml", text, overrides: both.ok ? both.value : [] });
    expect(out).toBe('"a.b": 10\na:\n  b: 20\n');
    // Listed with the quotes, so the valid keys say how to write them.
    expect(files(text, "p.yaml")[0]!.leaves.map((l) => l.key)).toEqual(['"a.b"', "a.b"]);
  });
});

describe("checkOverrides (the bot's and the CLI's one check)", () => {
  const parse = parseInline();
  const at = (file: string, text: string | undefined, bytes = text === undefined ? undefined : Buffer.byteLength(text)) => ({ file, bytes, read: () => Promise.resolve(text) });
  const check = (overrides: string[], files: ReturnType<typeof at>[], maxBytes = 1 << 20) => checkOverrides({ overrides: overrides.map(ov), files, parse, at: "abc1234", maxBytes });

  it("refuses when a params file is missing or unreadable, and passes the rest to validateOverrides", async () => {
    expect(await check(["a=1"], [at("ml/params.yaml", undefined)])).toEqual({
      ok: false,
      error: { headline: "`ml/params.yaml` does not exist at `abc1234`, so overrides cannot be checked. Nothing was run.", details: [] },
    });
    const broken = await check(["a=1"], [at("p.yaml", "a: *oops\n")]);
    expect(broken).toEqual({ ok: false, error: { headline: "`p.yaml` cannot be read, so nothing was run:", details: ["p.yaml:1:4: the alias `*oops` names no anchor `&oops` above it."] } });
    expect(await check([], [at("p.yaml", undefined)])).toEqual({ ok: true, value: [] });
    const typed = await check(["a=2"], [at("p.yaml", "a: 1\n")]);
    expect(typed.ok && typed.value[0]?.literal).toBe("2");
  });

  it("never reads a params file over the cap (hostile: a huge file at the PR head)", async () => {
    let reads = 0;
    const huge = { file: "ml/params.yaml", bytes: 5_000_000, read: () => ((reads += 1), Promise.resolve("a: 1\n")) };
    expect(await checkOverrides({ overrides: [ov("a=2")], files: [huge], parse, at: "abc1234", maxBytes: 1_048_576 })).toEqual({
      ok: false,
      error: { headline: "`ml/params.yaml` is 5000000 bytes at `abc1234`, over the 1048576-byte limit for params files, so overrides cannot be checked. Nothing was run.", details: [] },
    });
    expect(reads).toBe(0);
  });
});
