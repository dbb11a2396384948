import { describe, expect, it } from "vitest";
import { issuesPayload } from "../helpers/payloads.js";
import { DONE, OPEN, config, createComment, editComment, firstProgress, readIssue, useBacklogBot, writeIssue } from "./backlog-bot.js";

const { bot, calls, bodyOf, github } = useBacklogBot();

// The backlog of backlog-bot.ts as it arrives after its UTF-8 was read as Mac Roman on its way
// (a real decoder: `‚úÖ` for ✅, `‚è≠Ô∏è` for ⏭️).
const macRoman = (text: string) => new TextDecoder("macintosh").decode(Buffer.from(text, "utf8"));

describe("mis-encoded backlog issues", () => {
  it("counts the marks as what they were, says once what it repaired, and closes when the last item is done", async () => {
    const expected = github(config(), ...firstProgress());
    await bot().deliver("issues", issuesPayload({ action: "opened", body: macRoman(OPEN), updatedAt: "2024-05-01T10:00:00Z" }));

    const created = bodyOf("POST", "/issues/12/comments")!.body as string;
    expect(created).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog -->
      ### Backlog progress

      **Overall:** \`▓▓▓▓▓▓░░░░ 66%\` · 2 done · 1 skipped · 1 open (4 items)

      | Phase | Done | Skipped | Open | Progress |
      | :-- | --: | --: | --: | :-- |
      | ✅ Phase 1: Data | 1 | 1 | 0 | \`▓▓▓▓▓▓▓▓▓▓ 100%\` |
      | 🔄 Phase 2: Model | 1 | 0 | 1 | \`▓▓▓▓▓░░░░░ 50%\` |

      **Mis-encoded marks:** 3 status marks were mis-encoded (UTF-8 read as Mac Roman) and are counted as what they were: \`‚úÖ\` as ✅ (1), \`‚è≠Ô∏è\` as ⏭️ (1), \`üîÑ\` as 🔄 (1); lines 1, 3, 5. The issue text is left as it is; retype these marks to make this note go away.

      <details><summary>Open items (1)</summary>

      **Phase 2: Model**
      - \`[AI] 2.6\` Create Dev Environment Config

      </details>

      <sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says \`Completes #12 2.6\` ticks item 2.6.</sub>"
    `);
    expect(created.split("Mis-encoded").length).toBe(2); // flagged once

    // The skipped item stays skipped: ticking the last open item finishes the backlog.
    expected.push(...github(config(), editComment(901), readIssue(macRoman(DONE)), writeIssue, createComment(902)));
    await bot().deliver("issues", issuesPayload({ action: "edited", body: macRoman(DONE), previousBody: macRoman(OPEN), updatedAt: "2024-05-01T10:01:00Z" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/comments/901")!.body).toContain("**Overall:** `▓▓▓▓▓▓▓▓▓▓ 100%` · 3 done · 1 skipped · 0 open (4 items)");
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ state: "closed", state_reason: "completed" });
  });
});
