import { describe, expect, it } from "vitest";
import { issuesPayload, pullRequestClosedPayload } from "../helpers/payloads.js";
import { OPEN, config, createComment, editComment, firstProgress, readIssue, useBacklogBot } from "./backlog-bot.js";

const { bot, calls, bodyOf, github } = useBacklogBot();

// Hostile backlog bodies: each one is read in the bot's parse workers under the backlog limits, so
// the sync ends with a note in the progress comment instead of holding the bot's thread.
const items = (count: number, words = " with a few more words") =>
  Array.from({ length: count }, (_, i) => `- [${i % 3 === 0 ? "x" : " "}] ${i + 1}: Do the thing ${i + 1}${words}`).join("\n");

describe("backlog issues with hostile bodies", () => {
  it("answers a 1 MB body of 20,000 items with a note naming the byte cap, then reads the next edit as usual", async () => {
    const huge = items(20_000);
    expect(huge.length).toBeGreaterThan(1_000_000);
    const expected = github(config(), ...firstProgress(901));
    await bot().deliver("issues", issuesPayload({ action: "opened", body: huge, updatedAt: "2024-05-01T10:00:00Z" }));

    const note = bodyOf("POST", "/issues/12/comments")!.body as string;
    expect(note).toContain("The bot did not read this issue's checklist, so no progress is shown:");
    expect(note).toContain("- issue #12: is larger than the 256 KiB the bot reads of a backlog issue body, so it was not read.");
    expect(note).not.toContain("Do the thing");

    // The bot keeps answering: the next edit, back to a real backlog, updates the same comment.
    expected.push(...github(config(), editComment(901)));
    await bot().deliver("issues", issuesPayload({ action: "edited", body: OPEN, previousBody: huge, updatedAt: "2024-05-01T10:01:00Z" }));
    expect(bodyOf("PATCH", "/issues/comments/901")!.body).toContain("(4 items)");
    expect(calls()).toEqual(expected);
  });

  it("answers 4,500 items (about 100 KB, under the byte cap) with a note naming the line limit, read in a parse worker", async () => {
    const many = items(4500, "");
    expect(many.length).toBeLessThan(256 * 1024);
    const expected = github(config(), ...firstProgress(901));
    await bot().deliver("issues", issuesPayload({ action: "opened", body: many }));

    expect(bodyOf("POST", "/issues/12/comments")!.body).toContain(
      "- issue #12: was not read as a backlog: it has more than 2,500 lines; the bot reads backlogs of up to 2,500 lines.",
    );
    expect(calls()).toEqual(expected);
  });

  it("answers a line of 100,000 nested bullets (200 KB) with a note naming the nesting limit, and closes nothing", async () => {
    const deep = `## Phase 1\n${"- ".repeat(100_000)}[ ] x\n`;
    const expected = github(config(), ...firstProgress(901));
    await bot().deliver("issues", issuesPayload({ action: "edited", body: deep, previousBody: OPEN }));

    expect(bodyOf("POST", "/issues/12/comments")!.body).toContain("- issue #12: was not read as a backlog: line 2 opens more than 3 lists on one line");
    expect(calls()).toEqual(expected);
  });

  it("ticks nothing in an issue of 4,500 items that a merged pull request names, and says so on the pull request", async () => {
    const expected = github(config(), readIssue(items(4500, "")), createComment(903, 42));
    await bot().deliver("pull_request", pullRequestClosedPayload({ number: 42, merged: true, body: "Completes #12 1" }));

    expect(bodyOf("POST", "/issues/42/comments")!.body).toContain(
      "I did not read #12 as a backlog, so `#12 1` was not ticked: issue #12: was not read as a backlog: it has more than 2,500 lines; the bot reads backlogs of up to 2,500 lines.",
    );
    expect(calls()).toEqual(expected);
  });
});
