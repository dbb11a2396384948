import { describe, expect, it } from "vitest";
import { LINE_CUT_MARKER, LogTail } from "../../../src/core/pipeline/log-tail.js";

describe("LogTail", () => {
  it("keeps the last lines, whatever the chunking, with CRLF and progress bars", () => {
    const tail = new LogTail(3);
    for (const chunk of ["one\r\ntw", "o\nthr", "ee\n", "10%\r50%\r100%\n", "unfin", "ished"]) tail.push(chunk);
    expect(tail.snapshot()).toEqual(["three", "100%", "unfinished"]);
  });

  it("cuts a long line into pieces that say they continue, and keeps only the last ones", () => {
    const tail = new LogTail(4, 10);
    tail.push("a".repeat(25));
    tail.push("b".repeat(10));
    tail.push("\nend\n");
    expect(tail.snapshot()).toEqual([`aaaaaaaaaa${LINE_CUT_MARKER}`, `aaaaabbbbb${LINE_CUT_MARKER}`, "bbbbb", "end"]);
  });

  it("holds 100 MB pushed as one line in 1 MB chunks within its size (each byte scanned once)", () => {
    const tail = new LogTail(60, 2000);
    const chunk = "x".repeat(1 << 20);
    for (let i = 0; i < 100; i++) tail.push(chunk);
    const kept = tail.snapshot();
    expect(kept).toHaveLength(60);
    expect(kept.join("").length).toBeLessThanOrEqual(60 * (2000 + LINE_CUT_MARKER.length));
  });
});
