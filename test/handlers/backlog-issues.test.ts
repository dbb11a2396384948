import { describe, expect, it } from "vitest";
import * as gh from "../helpers/github-responses.js";
import { issuesPayload } from "../helpers/payloads.js";
import { CLOSE_AS_DONE, DONE, OPEN, config, createComment, editComment, firstProgress, listComments, readIssue, useBacklogBot, writeIssue } from "./backlog-bot.js";

const { bot, calls, bodyOf, github } = useBacklogBot();
const deliver: ReturnType<typeof bot>["deliver"] = (...args) => bot().deliver(...args);

describe("backlog issues", () => {
  it("keeps one progress comment: creates it, edits it by its cached id, and skips unchanged progress", async () => {
    const expected = github(config(), listComments(gh.issueComment({ id: 1, body: "A person's comment", login: "octocat", issue: 12 })), createComment(901));
    await deliver("issues", issuesPayload({ action: "opened", body: OPEN, updatedAt: "2024-05-01T10:00:00Z" }));

    const created = bodyOf("POST", "/issues/12/comments")!.body as string;
    expect(created).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog -->
      ### Backlog progress

      **Overall:** \`▓▓▓▓▓▓░░░░ 66%\` · 2 done · 1 skipped · 1 open (4 items)

      | Phase | Done | Skipped | Open | Progress |
      | :-- | --: | --: | --: | :-- |
      | ✅ Phase 1: Data | 1 | 1 | 0 | \`▓▓▓▓▓▓▓▓▓▓ 100%\` |
      | 🔄 Phase 2: Model | 1 | 0 | 1 | \`▓▓▓▓▓░░░░░ 50%\` |

      <details><summary>Open items (1)</summary>

      **Phase 2: Model**
      - \`[AI] 2.6\` Create Dev Environment Config

      </details>

      <sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says \`Completes #12 2.6\` ticks item 2.6.</sub>"
    `);

    expected.push(...github(config(), editComment(901)));
    const unticked21 = OPEN.replace("- [x] [HUMAN] 2.1", "- [ ] [HUMAN] 2.1");
    await deliver("issues", issuesPayload({ action: "edited", body: unticked21, previousBody: OPEN, updatedAt: "2024-05-01T10:01:00Z" }));
    expect(bodyOf("PATCH", "/issues/comments/901")!.body).toContain("**Overall:** `▓▓▓░░░░░░░ 33%` · 1 done · 1 skipped · 2 open (4 items)");

    expected.push(...github(config())); // prose around the items changed; the progress did not: no comment call
    await deliver("issues", issuesPayload({ action: "edited", body: `Plan for Q3.\n\n${unticked21}`, previousBody: unticked21, updatedAt: "2024-05-01T10:02:00Z" }));

    expect(calls()).toEqual(expected);
  });

  it("closes the issue as completed, with a comment, when an edit ticks the last item", async () => {
    const expected = github(config(), ...firstProgress(), ...CLOSE_AS_DONE);

    await deliver("issues", issuesPayload({ action: "edited", body: DONE, previousBody: OPEN }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ state: "closed", state_reason: "completed" });
    const comments = bot().calls.filter((c) => c.method === "POST" && c.path.endsWith("/issues/12/comments"));
    expect((comments[0]!.body as { body: string }).body).toContain("**Overall:** `▓▓▓▓▓▓▓▓▓▓ 100%` · 3 done · 1 skipped · 0 open (4 items)");
    expect((comments[1]!.body as { body: string }).body).toBe(
      "<!-- mlops-bot:backlog-close -->\nAll 4 items of this backlog are done or skipped (3 done, 1 skipped), so I'm closing it as completed. 🎉\n\nUntick an item to reopen it.",
    );
  });

  it("reopens a closed backlog when an item is unticked, naming the open item", async () => {
    const expected = github(
      config(),
      listComments(gh.issueComment({ id: 901, body: "<!-- mlops-bot:backlog -->\nold", issue: 12 })),
      editComment(901),
      readIssue(OPEN, "closed", "completed"),
      writeIssue,
      createComment(903),
    );

    await deliver("issues", issuesPayload({ action: "edited", body: OPEN, previousBody: DONE, state: "closed", stateReason: "completed" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ state: "open" });
    expect(bodyOf("POST", "/issues/12/comments")!.body).toBe(
      [
        "<!-- mlops-bot:backlog-reopen -->",
        "Reopening: this backlog was closed, but 1 item is open:",
        "",
        "- `[AI] 2.6` Create Dev Environment Config (Phase 2: Model)",
        "",
        "I'll close it again when every item is done or skipped.",
      ].join("\n"),
    );
  });

  it("does not fight people: a typo fix on a reopened finished backlog, or a bot's untick, changes no state", async () => {
    // A person reopened a finished backlog and fixes a typo: nothing became done by this edit.
    const expected = github(config(), ...firstProgress());
    await deliver("issues", issuesPayload({ action: "edited", body: DONE.replace("Approve", "Approve"), previousBody: DONE.replace("Approve", "Aprove") }));

    // Another bot unticks an item of a closed backlog: progress follows, the state does not.
    expected.push(...github(config(), editComment(901)));
    await deliver(
      "issues",
      issuesPayload({ action: "edited", body: OPEN, previousBody: DONE, state: "closed", stateReason: "completed", senderType: "Bot", updatedAt: "2024-05-01T11:00:00Z" }),
    );

    expect(calls()).toEqual(expected);
  });

  it("does nothing twice when GitHub redelivers an issue event", async () => {
    const expected = github(config(), ...firstProgress(), ...CLOSE_AS_DONE);

    const payload = issuesPayload({ action: "edited", body: DONE, previousBody: OPEN });
    await deliver("issues", payload, "issue-delivery-1");
    expect(calls()).toEqual(expected);
    await deliver("issues", payload, "issue-delivery-1"); // no scope is left for a second call

    expect(calls()).toEqual(expected);
  });

  it("handles opened and labeled of a new labelled issue one after the other: one progress comment, one close", async () => {
    const expected = github(config(), ...firstProgress(), ...CLOSE_AS_DONE, config(), readIssue(DONE, "closed", "completed"));

    // GitHub sends both at once for an issue created with the label; Probot runs them concurrently.
    await Promise.all([
      deliver("issues", issuesPayload({ action: "opened", body: DONE })),
      deliver("issues", issuesPayload({ action: "labeled", body: DONE, addedLabel: "backlog" })),
    ]);

    expect(calls()).toEqual(expected);
  });

  it("lets a redelivery retry an event that failed on GitHub's side", async () => {
    const expected = github(config(), listComments(), ["POST", "/issues/12/comments", 502, gh.githubError(502, "Bad Gateway")]);
    const payload = issuesPayload({ action: "opened", body: OPEN });
    await expect(deliver("issues", payload, "flaky-1")).rejects.toThrow();

    expected.push(...github(config(), ...firstProgress()));
    await deliver("issues", payload, "flaky-1");

    expect(calls()).toEqual(expected);
  });

  it("ignores a delivery older than one already handled (out of order), so progress never goes back", async () => {
    const expected = github(config(), ...firstProgress());
    await deliver("issues", issuesPayload({ action: "edited", body: OPEN, previousBody: "", updatedAt: "2024-05-01T10:05:00Z" }));
    expected.push(...github(config()));
    await deliver("issues", issuesPayload({ action: "edited", body: DONE, previousBody: OPEN, updatedAt: "2024-05-01T10:04:00Z" }));

    expect(calls()).toEqual(expected);
  });

  it("leaves issues that are not backlogs alone, and finds backlogs by content when the config says so", async () => {
    const expected = github(config());
    await deliver("issues", issuesPayload({ action: "opened", body: OPEN, labels: ["bug"] }));
    expected.push(...github(config("backlog:\n  detect: content\n")));
    await deliver("issues", issuesPayload({ action: "opened", body: "### Checklist\n- [x] I searched the existing issues\n", labels: ["bug"], number: 13 }));
    expected.push(...github(config("backlog:\n  detect: content\n"), ["GET", "/issues/14/comments?per_page=100", 200, []], createComment(904, 14)));
    await deliver("issues", issuesPayload({ action: "opened", body: OPEN, labels: [], number: 14 }));

    expect(calls()).toEqual(expected);
  });

  it("starts when the backlog label is added (configured name, any case), and ignores other labels and title edits", async () => {
    const roadmap = "backlog:\n  label: Roadmap\n";
    const expected = github(config(roadmap));
    await deliver("issues", issuesPayload({ action: "labeled", body: OPEN, labels: ["roadmap", "bug"], addedLabel: "bug" }));
    expected.push(...github(config(roadmap), ...firstProgress(905)));
    await deliver("issues", issuesPayload({ action: "labeled", body: OPEN, labels: ["roadmap"], addedLabel: "roadmap" }));
    await deliver("issues", issuesPayload({ action: "edited", body: OPEN })); // title only: no config read either

    expect(calls()).toEqual(expected);
  });

  it("does nothing but log on an invalid config, even for an empty or odd body", async () => {
    const expected = github(config("backlog:\n  detect: sometimes\n"));
    await deliver("issues", issuesPayload({ action: "opened", body: null }));
    expected.push(...github(config("backlog: [\n")));
    await deliver("issues", issuesPayload({ action: "edited", body: "- [x", previousBody: "\u0000" }));
    expect(calls()).toEqual(expected);
  });
});
