import { describe, expect, it } from "vitest";
import { STATUS_EMOJI } from "../../../src/core/backlog/status-emoji.js";
import { decodeUtf8Strictly, repairMojibake } from "../../../src/core/text/repair-mojibake.js";
import { HIGH_BYTE_OF, misDecodeUtf8 } from "../../../src/core/text/single-byte-encodings.js";

// Mis-encoded text made the way it happens: UTF-8 bytes decoded by a real single-byte decoder.
// Node 20's TextDecoder("windows-1252") decodes bytes 0x80–0x9F as Latin-1 (C1 controls), later
// versions as Windows-1252 proper: the repair takes both, and the Windows-1252 proper forms are
// also tested below as literals (`âœ…`, the form seen in the wild).
const macRoman = (text: string) => new TextDecoder("macintosh").decode(Buffer.from(text, "utf8"));
const windows1252 = (text: string) => new TextDecoder("windows-1252").decode(Buffer.from(text, "utf8"));
const statusMarks = Object.values(STATUS_EMOJI).flatMap((emoji) => emoji.flatMap((e) => [e, `${e}\uFE0F`]));

describe("repairMojibake", () => {
  it("the Mac Roman table is the one a real macintosh decoder uses, byte for byte", () => {
    const table = HIGH_BYTE_OF.get("Mac Roman")!;
    for (let byte = 0x80; byte <= 0xff; byte++) {
      const char = new TextDecoder("macintosh").decode(Uint8Array.of(byte));
      expect([char.length, table.get(char.charCodeAt(0))]).toEqual([1, byte]);
    }
  });

  it("reads every status emoji back from its Mac Roman and Windows-1252 forms", () => {
    for (const mark of statusMarks) {
      expect(repairMojibake(macRoman(mark)), mark).toEqual({ text: mark, encoding: "Mac Roman", runs: 1 });
      expect(repairMojibake(windows1252(mark)), mark).toEqual({ text: mark, encoding: "Windows-1252", runs: 1 });
      expect(repairMojibake(misDecodeUtf8(mark, "Windows-1252"))?.text, mark).toBe(mark);
      expect(misDecodeUtf8(mark, "Mac Roman")).toBe(macRoman(mark));
    }
  });

  it("repairs the forms the issue and the wild show, inside ordinary text", () => {
    expect(repairMojibake("‚úÖ")).toEqual({ text: "✅", encoding: "Mac Roman", runs: 1 });
    expect(repairMojibake("‚è≠Ô∏è")).toEqual({ text: "⏭️", encoding: "Mac Roman", runs: 1 });
    expect(repairMojibake("Phase 1: Data âœ… — done")).toEqual({ text: "Phase 1: Data ✅ — done", encoding: "Windows-1252", runs: 1 });
    // Windows-1252 leaves 0x8F undefined; browsers (WHATWG) decode it to U+008F.
    expect(repairMojibake("â\u008F\u00ADï¸\u008F skipped")?.text).toBe("⏭️ skipped");
    expect(repairMojibake("Donn√©es ‚Äî G√©n√©rer")).toEqual({ text: "Données — Générer", encoding: "Mac Roman", runs: 4 });
  });

  it("leaves ordinary accented text alone, in both readings", () => {
    const ordinary = [
      "Données, Müller, Straße, café, naïve, Ångström, São Paulo, Ærøskøbing, Łódź, İstanbul",
      "100 µm ± 5 °C, 3 × 4 ÷ 2, “quotes” and ‘quotes’ — dashes – and… ellipses; © ® ™ € £ ¥ § ¶",
      "✅ done ⏭️ skipped 🔄 🚧 — real emoji are not touched",
      "ASCII only: - [x] [AI] 2.6: Create Dev Environment Config",
    ];
    for (const text of ordinary) expect(repairMojibake(text), text).toBeNull();
  });

  it("repairs a run only when all of it is valid UTF-8", () => {
    expect(repairMojibake("‚úÖé")).toBeNull(); // E2 9C 85 8E: a stray continuation byte
    expect(repairMojibake("‚ú")).toBeNull(); // E2 9C: cut short
    expect(repairMojibake("‚úÖ é ‚úÖ")).toEqual({ text: "✅ é ✅", encoding: "Mac Roman", runs: 2 });
  });

  it("is linear and exact on a megabyte of lookalike characters", () => {
    const repeated = "‚úÖ".repeat(350_000);
    expect(repairMojibake(repeated)?.text).toBe("✅".repeat(350_000));
    expect(repairMojibake("√".repeat(1_000_000))).toBeNull(); // C3 C3 C3 …: never valid
    expect(repairMojibake("‚ú ".repeat(300_000))).toBeNull(); // every run cut short
    const mixed = "é‚úÖ a ".repeat(150_000); // each run begins with a stray byte: nothing repaired
    expect(repairMojibake(mixed)).toBeNull();
  });
});

describe("decodeUtf8Strictly", () => {
  it("decodes well-formed sequences and refuses overlong, surrogate, too large and cut ones", () => {
    expect(decodeUtf8Strictly([...Buffer.from("é✅🚫")])).toBe("é✅🚫");
    expect(decodeUtf8Strictly([0xc0, 0x80])).toBeNull(); // overlong NUL
    expect(decodeUtf8Strictly([0xe0, 0x80, 0x80])).toBeNull(); // overlong
    expect(decodeUtf8Strictly([0xf0, 0x80, 0x80, 0x80])).toBeNull(); // overlong
    expect(decodeUtf8Strictly([0xed, 0xa0, 0x80])).toBeNull(); // a surrogate
    expect(decodeUtf8Strictly([0xf4, 0x90, 0x80, 0x80])).toBeNull(); // above U+10FFFF
    expect(decodeUtf8Strictly([0xe2, 0x9c])).toBeNull(); // cut short
    expect(decodeUtf8Strictly([0x9c, 0x85])).toBeNull(); // continuation bytes alone
    expect(decodeUtf8Strictly([0xf4, 0x8f, 0xbf, 0xbf])).toBe("\u{10FFFF}");
  });
});
