import { describe, expect, it } from "vitest";
import { computeBacklogProgress } from "../../../src/core/backlog/compute-backlog-progress.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { tickItem } from "../../../src/core/backlog/tick-item.js";
import { readFixture } from "./read-fixture.js";

// Backlogs whose UTF-8 was decoded as Mac Roman or Windows-1252 somewhere on the way, made with
// real decoders (Node 20's "windows-1252" decodes 0x80–0x9F as Latin-1; both are repaired).
const macRoman = (text: string) => new TextDecoder("macintosh").decode(Buffer.from(text, "utf8"));
const windows1252 = (text: string) => new TextDecoder("windows-1252").decode(Buffer.from(text, "utf8"));

/** What progress says, item titles included (repaired like the marks; `text` keeps the body's characters). */
const summary = (body: string) => {
  const backlog = parseBacklog(body);
  const progress = computeBacklogProgress(backlog);
  return {
    items: backlog.items.map((i) => [i.line, i.state, i.role, i.number, i.title]),
    phases: progress.phases.map((p) => [p.phase.title, p.counts, p.phase.statuses.map((s) => [s.source, s.emoji, s.meaning])]),
    mismatches: progress.mismatches.map((m) => m.message),
    warnings: progress.warnings,
  };
};

describe("mis-encoded backlogs", () => {
  for (const fixture of ["gcp-terraform.md", "inline-legend.md", "duplicate-numbers.md"]) {
    it(`counts ${fixture} the same when it was read as Mac Roman or Windows-1252`, () => {
      const original = readFixture(fixture);
      const expected = summary(original);
      expect(computeBacklogProgress(parseBacklog(original)).repairedMarks).toBeNull();
      for (const misread of [macRoman(original), windows1252(original)]) {
        expect(misread).not.toBe(original);
        expect(summary(misread)).toEqual(expected);
      }
    });
  }

  it("flags what it repaired once: which marks, read as what, in which encoding, on which lines", () => {
    const body = macRoman(["## Phase 1: Data ✅", "**Status**: ✅ Complete", "- [✅] 1.1 a", "- [⏭️] 1.2 b", "- [⏭️] 1.3 c", "- [x] 1.4 Données"].join("\n"));
    expect(body).toContain("- [‚è≠Ô∏è] 1.2 b");
    const progress = computeBacklogProgress(parseBacklog(body));
    expect(progress.overall).toEqual({ total: 4, done: 2, skipped: 2, open: 0, percent: 100 });
    expect(progress.repairedMarks).toEqual({
      count: 5,
      encodings: ["Mac Roman"],
      marks: [
        { written: "‚úÖ", read: "✅", encoding: "Mac Roman", count: 3 },
        { written: "‚è≠Ô∏è", read: "⏭️", encoding: "Mac Roman", count: 2 },
      ],
      lines: [1, 2, 3, 4, 5],
    });
    expect(parseBacklog(body).items.map((i) => i.mark)).toEqual(["‚úÖ", "‚è≠Ô∏è", "‚è≠Ô∏è", "x"]); // as written
    expect(parseBacklog(body).items.map((i) => [i.title, i.text])).toContainEqual(["Données", "1.4 Donn√©es"]); // shown repaired, kept as written
  });

  it("never takes ordinary accented text, or a legend's own odd mark, for a mis-encoding", () => {
    const body = ["## Phase 1: Données ✅", "- [x] 1.1 Générer les données", "- [é] 1.2 Müller", "- [Ö] 1.3 Straße", "- [ ] 1.4 café"].join("\n");
    const backlog = parseBacklog(body);
    expect(backlog.items.map((i) => [i.number, i.state])).toEqual([["1.1", "done"], ["1.4", "open"]]);
    expect(computeBacklogProgress(backlog).repairedMarks).toBeNull();
    const legend = "**Legend**: `[Ö]` = done\n\n- [Ö] 1.1 a\n"; // a mark the legend defines is its own
    expect(parseBacklog(legend).items.map((i) => [i.state, i.markSource, i.repaired])).toEqual([["done", "legend", undefined]]);
  });

  it("ticking a repaired item rewrites its box only: every other mis-encoded mark keeps its bytes", () => {
    const body = macRoman("- [⏭️] 1.1 a\n- [✅] 1.2 b\n- [⏭️] 1.3 c — done\n");
    const item = parseBacklog(body).items[2]!;
    const ticked = tickItem(body, item);
    expect(ticked).toEqual({ ok: true, value: body.replace("- [‚è≠Ô∏è] 1.3", "- [x] 1.3") });
    expect(parseBacklog(ticked.ok ? ticked.value : "").items.map((i) => [i.state, i.repaired?.read])).toEqual([
      ["skipped", "⏭️"],
      ["done", "✅"],
      ["done", undefined],
    ]);
  });

  it("stays exact on a hostile body of lookalike characters", () => {
    const lines: string[] = ["## Phase 1: ‚úÖ‚úÖ‚úÖ " + "√".repeat(20_000) + " ‚úÖ"];
    // 300 of each (901 lines): within the backlog limit of 2,500 lines.
    for (let i = 0; i < 300; i++) lines.push(`- [‚úÖ√] ${i} lookalike`, `- [‚úÖ] ${i}.1 done`, `- [√©√©√©√©√©√©√©√©] ${i}.2 not a mark`);
    const backlog = parseBacklog(lines.join("\n"));
    const progress = computeBacklogProgress(backlog);
    expect(progress.overall).toEqual({ total: 300, done: 300, skipped: 0, open: 0, percent: 100 });
    expect(progress.repairedMarks?.count).toBe(301);
    expect(backlog.phases[0]?.statuses).toEqual([{ source: "heading", emoji: "✅", meaning: "done", line: 1, repaired: { written: "‚úÖ", read: "✅", encoding: "Mac Roman" } }]);
  });
});
