import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createInstanceScanner } from "../../src/serve/create-instance-scanner.js";
import { createPredictRequestParser, type PredictInput } from "../../src/serve/create-predict-request-parser.js";

const F = 3;
const MAX = 4;
const scan = createInstanceScanner({ featureCount: F, maxBatch: MAX });
const parse = createPredictRequestParser({ featureCount: F, featureNames: ["a", "b", "c"], maxBatch: MAX });

/** The full path: JSON.parse, then the zod envelope and the per-value checks. */
function full(text: string): PredictInput | "refused" {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "refused";
  }
  const result = parse(json);
  return result.ok ? result.value : "refused";
}

/** Same rows, bit for bit (so -0 and 0 differ). */
function sameBits(a: PredictInput, b: PredictInput): boolean {
  return a.count === b.count && Buffer.compare(Buffer.from(a.rows.buffer, a.rows.byteOffset, a.rows.byteLength), Buffer.from(b.rows.buffer, b.rows.byteOffset, b.rows.byteLength)) === 0;
}

/** The scanner reads a body only when the full path accepts it, and then gives the same float32 values. */
function expectSound(text: string): PredictInput | undefined {
  const fast = scan(Buffer.from(text, "utf8"));
  if (fast) {
    const slow = full(text);
    expect(slow, text).not.toBe("refused");
    expect(sameBits(fast, slow as PredictInput), text).toBe(true);
  }
  return fast;
}

const space = fc.constantFrom("", "", " ", "\n", "\t", "\r\n  ");
/** Halfway between two adjacent float32 values, written with 15 to 21 digits: where a slightly wrong double rounds to the other float32. */
const float32Midpoint = fc.tuple(fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-3e38), max: Math.fround(3e38) }), fc.integer({ min: 15, max: 21 }), fc.integer({ min: -1, max: 1 })).map(([f, digits, nudge]) => {
  const bits = new Uint32Array(new Float32Array([Math.abs(f)]).buffer);
  const next = new Float32Array(new Uint32Array([bits[0]! + 1]).buffer)[0]!;
  const mid = (Math.abs(f) + next) / 2; // exact in float64
  const text = (Math.sign(f) < 0 ? -mid : mid).toPrecision(digits);
  return nudge === 0 ? text : text.replace(/\d(?=(e.*)?$)/, (d) => String((Number(d) + (nudge < 0 ? 9 : 1)) % 10));
});
/** Number tokens as clients write them: JSON.stringify, fixed and exponent forms, long digit strings, edge values. */
const numberToken = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 20 }).map((k) => x.toFixed(k))),
  fc.double({ noNaN: true, noDefaultInfinity: true }).chain((x) => fc.integer({ min: 0, max: 20 }).map((k) => x.toExponential(k))),
  fc.stringMatching(/^-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?$/),
  float32Midpoint,
  fc.constantFrom("0", "-0", "-0.0", "0.0000000000000000000001", "3.4028234663852886e38", "3.4028235e38", "3.4028236e38", "-3.4028234663852886e38", "1e-46", "5e-324", "123456789012345", "1234567890123456", "9007199254740993", "9007199254740992", "90071992547409.93", "0.9007199254740993", "0.1", "1E2", "1e+2", "1e999"),
);
const row = (width: number) => fc.array(fc.tuple(space, numberToken, space), { minLength: width, maxLength: width }).map((cells) => `[${cells.map(([a, n, b]) => `${a}${n}${b}`).join(",")}]`);
const plainBody = fc
  .tuple(space, fc.array(fc.tuple(space, fc.oneof(row(F), row(F), row(F), row(F - 1), row(F + 1)), space), { minLength: 0, maxLength: MAX + 1 }), space)
  .map(([a, rows, b]) => `${a}{${a}"instances"${b}:${a}[${rows.map(([x, r, y]) => `${x}${r}${y}`).join(",")}]${b}}${a}`);

describe("createInstanceScanner", () => {
  it("reads plain bodies into the same float32 rows as the full path, and exactly those the full path accepts", () => {
    fc.assert(
      fc.property(plainBody, (text) => {
        const fast = expectSound(text);
        if (!fast) expect(full(text), text).toBe("refused");
      }),
      { numRuns: 3000 },
    );
  });

  it("never reads a body the full path refuses, whatever the bytes (mutated bodies)", () => {
    const mutated = fc.tuple(plainBody, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.constantFrom(..."[]{},:.-+eE0123456789 \"xN\u00e9\u0000")), { maxLength: 4 })).map(([text, edits]) => {
      let out = text;
      for (const [at, kind, ch] of edits) {
        const k = out.length === 0 ? 0 : at % out.length;
        out = kind === 0 ? out.slice(0, k) + ch + out.slice(k) : kind === 1 ? out.slice(0, k) + out.slice(k + 1) : out.slice(0, k) + ch + out.slice(k + 1);
      }
      return out;
    });
    fc.assert(fc.property(mutated, (text) => void expectSound(text)), { numRuns: 3000 });
  });

  it("rounds to float32 as the model sees it, -0 kept", () => {
    const input = scan(Buffer.from('{"instances": [[0.1, -0, 3.4e38], [1e-50, 123456789.123456789, -2.5E-3]]}'));
    expect(input?.count).toBe(2);
    expect(Array.from(input!.rows)).toEqual([Math.fround(0.1), -0, Math.fround(3.4e38), 0, Math.fround(Number("123456789.123456789")), Math.fround(-2.5e-3)]);
    expect(Object.is(input!.rows[1], -0)).toBe(true);
  });

  it.each([
    ["named objects (read by the full path)", '{"instances": [{"a": 1, "b": 2, "c": 3}]}'],
    ["a string value", '{"instances": [[1, "NaN", 3]]}'],
    ["NaN and Infinity tokens", '{"instances": [[1, NaN, 3]]}'],
    ["too large for float32", '{"instances": [[1, 1e39, 3]]}'],
    ["1e999", '{"instances": [[1, 1e999, 3]]}'],
    ["a short row", '{"instances": [[1, 2]]}'],
    ["a long row", '{"instances": [[1, 2, 3, 4]]}'],
    ["more rows than maxBatch", `{"instances": [${Array.from({ length: MAX + 1 }, () => "[1,2,3]").join(",")}]}`],
    ["no rows", '{"instances": []}'],
    ["deep nesting", `{"instances": [${"[".repeat(100_000)}${"]".repeat(100_000)}]}`],
    ["a second key", '{"instances": [[1, 2, 3]], "instances": [[4, 5, 6]]}'],
    ["an escaped key", '{"\\u0069nstances": [[1, 2, 3]]}'],
    ["a byte-order mark", '\ufeff{"instances": [[1, 2, 3]]}'],
    ["trailing bytes", '{"instances": [[1, 2, 3]]} x'],
    ["leading zeros", '{"instances": [[01, 2, 3]]}'],
    ["a bare dot", '{"instances": [[1., 2, 3]]}'],
    ["a plus sign", '{"instances": [[+1, 2, 3]]}'],
    ["an empty exponent", '{"instances": [[1e, 2, 3]]}'],
    ["a trailing comma", '{"instances": [[1, 2, 3],]}'],
    ["a cut body", '{"instances": [[1, 2, 3'],
    ["an empty body", ""],
    ["only whitespace", " \n\t "],
    ["a lone closing brace", "}"],
    ["a second closing brace", '{"instances": [[1, 2, 3]]}}'],
    ["a number after the body", '{"instances": [[1, 2, 3]]} 5'],
    ["a body cut after a minus sign", '{"instances": [[1, 2, -'],
    ["a body cut in an exponent", '{"instances": [[1, 2, 3e'],
    ["a body cut after a dot, then a brace", '{"instances": [[1, 2, 3.}'],
    ["a cut key", '{"instan}'],
  ])("leaves %s to the full path", (_, text) => {
    expect(scan(Buffer.from(text, "utf8"))).toBeUndefined();
  });
});
