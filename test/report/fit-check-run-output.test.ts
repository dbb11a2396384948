import { describe, expect, it } from "vitest";
import { CHECK_RUN_TEXT_LIMIT, fitCheckRunActions, fitCheckRunOutput } from "../../src/report/format/fit-check-run-output.js";

describe("fitCheckRunOutput", () => {
  it("leaves an output under the limits untouched", () => {
    const output = { title: "Accuracy 0.93", summary: "| a | b |\n| - | - |", text: "log" };
    expect(fitCheckRunOutput(output)).toEqual(output);
  });

  it("cuts an oversized summary at a line, under GitHub's limit in bytes, and says how much was left out", () => {
    const line = "| metrics.json | accuracy | 0.91 | 0.93 | +0.02 | 😀 |\n";
    const summary = line.repeat(5000);
    const fitted = fitCheckRunOutput({ title: "t", summary });
    expect(Buffer.byteLength(fitted.summary)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    const [kept, note] = fitted.summary.split("\n\n> ✂️ ");
    expect(summary.startsWith(kept! + "\n")).toBe(true);
    expect(note).toBe(`Output trimmed to fit GitHub's limit: ${(summary.length - kept!.length).toLocaleString("en-US")} characters left out.`);
  });

  it("closes a code fence it cut through, so the note stays readable", () => {
    const text = "```\n" + "log line\n".repeat(20_000);
    const fitted = fitCheckRunOutput({ title: "t", summary: "s", text });
    expect(fitted.text).toMatch(/\n```\n\n> ✂️ Output trimmed/);
    expect(Buffer.byteLength(fitted.text!)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
  });

  it("shortens a long title and fills an empty summary with it", () => {
    const fitted = fitCheckRunOutput({ title: "x".repeat(300), summary: "" });
    expect(fitted.title).toHaveLength(255);
    expect(fitted.summary).toBe(fitted.title);
  });

  it("keeps at most three actions within GitHub's field lengths", () => {
    const action = { label: "Train again with a long label", description: "d".repeat(50), identifier: "i".repeat(30) };
    const fitted = fitCheckRunActions([action, action, action, action]);
    expect(fitted).toHaveLength(3);
    expect(fitted[0]).toEqual({ label: "Train again with a l", description: "d".repeat(40), identifier: "i".repeat(20) });
  });
});
