import { describe, expect, it } from "vitest";
import { classifyStatusWords } from "../../../src/core/backlog/classify-status-words.js";
import { parseLegendText } from "../../../src/core/backlog/parse-legend-text.js";

const entries = (text: string) => parseLegendText(text, 1).map((e) => `${e.bracketed ? `[${e.marker}]` : e.marker}=${e.meaning}`);

describe("parseLegendText", () => {
  it.each([
    ["⏭️ = Skipped", ["⏭=skipped"]],
    ["[⏭️] Skipped / deferred", ["[⏭]=skipped"]],
    ["`[-]`: won't do", ["[-]=skipped"]],
    ["`~` deferred", ["~=skipped"]],
    ["[ ] Not started", ["[ ]=not-started"]],
    ["✅ Complete", ["✅=done"]],
    ["**Legend**: ✅ = Done · 🔄 = In progress · ⏳ = Pending | 🧊 → frozen (deferred)", ["✅=done", "🔄=in-progress", "⏳=not-started", "🧊=skipped"]],
    ["Legend: [x] done, [ ] todo; [~] dropped", ["[x]=done", "[ ]=not-started", "[~]=skipped"]],
    ["🦄 = something else entirely", []],
    ["Skipped items are struck through", []],
  ])("%s", (text, expected) => {
    expect(entries(text)).toEqual(expected);
  });
});

describe("classifyStatusWords", () => {
  it.each([
    ["Skipped / deferred", "skipped"],
    ["Won't do", "skipped"],
    ["N/A", "skipped"],
    ["Not started", "not-started"],
    ["Not done yet", "not-started"],
    ["TODO", "not-started"],
    ["In Progress", "in-progress"],
    ["Partially done", "in-progress"],
    ["Blocked", "in-progress"],
    ["Complete", "done"],
    ["Incomplete", null],
    ["Someday", null],
  ])("%s -> %s", (text, expected) => {
    expect(classifyStatusWords(text)).toBe(expected);
  });
});
