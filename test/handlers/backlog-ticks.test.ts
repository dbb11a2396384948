import { describe, expect, it } from "vitest";
import { readFixture } from "../core/backlog/read-fixture.js";
import * as gh from "../helpers/github-responses.js";
import { issuesPayload, pullRequestClosedPayload } from "../helpers/payloads.js";
import { CLOSE_AS_DONE, DONE, OPEN, config, createComment, firstProgress, readIssue, useBacklogBot, writeIssue } from "./backlog-bot.js";

const { bot, calls, bodyOf, github } = useBacklogBot();
const deliver: ReturnType<typeof bot>["deliver"] = (...args) => bot().deliver(...args);

describe("merged pull requests tick backlog items", () => {
  const BACKLOG = readFixture("gcp-terraform.md");
  const TICKED = BACKLOG.replace("- [ ] [AI] 2.6: Create Dev Environment Config", "- [x] [AI] 2.6: Create Dev Environment Config");

  it("ticks `Completes #12 [AI] 2.6` in #12, changing only that box, after reading the issue again", async () => {
    expect(TICKED).not.toBe(BACKLOG);
    const expected = github(config(), readIssue(BACKLOG), readIssue(BACKLOG), writeIssue);

    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Adds the dev environment.\n\nCompletes #12 [AI] 2.6" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ body: TICKED });
  });

  it("closes the backlog through the edit that follows when the PR ticked its last item", async () => {
    const expected = github(config(), readIssue(OPEN), readIssue(OPEN), writeIssue);
    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 2.6" }));
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ body: DONE });

    // GitHub then sends issues.edited, sent by the bot itself: progress, then close.
    expected.push(...github(config(), ...firstProgress(), ...CLOSE_AS_DONE));
    await deliver("issues", issuesPayload({ action: "edited", body: DONE, previousBody: OPEN, senderType: "Bot" }));

    expect(calls()).toEqual(expected);
    expect(bot().calls.filter((c) => c.method === "PATCH" && c.path.endsWith("/issues/12")).map((c) => c.body)).toEqual([
      { body: DONE },
      { state: "closed", state_reason: "completed" },
    ]);
  });

  it("keeps a person's edit made between the read and the write, and ticks on top of it", async () => {
    const edited = `Owner: @octocat\n\n${BACKLOG.replace("- [ ] [AI] 3.1: Cloud Run Job for training", "- [x] [AI] 3.1: Cloud Run Job for training")}`;
    // A person edited #12 between the bot's first read and its write.
    const expected = github(config(), readIssue(BACKLOG), readIssue(edited), readIssue(edited), writeIssue);

    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({
      body: edited.replace("- [ ] [AI] 2.6: Create Dev Environment Config", "- [x] [AI] 2.6: Create Dev Environment Config"),
    });
  });

  it("gives up on an issue that changes on every read, and says so on the PR", async () => {
    const expected = github(config(), readIssue(BACKLOG), readIssue(`a\n\n${BACKLOG}`), readIssue(`b\n\n${BACKLOG}`), createComment(1, 7));

    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("POST", "/issues/7/comments")!.body).toBe(
      "<!-- mlops-bot:backlog-references -->\n#12 was edited while I was ticking it, twice, so I left it alone: tick `#12 [AI] 2.6` by hand.",
    );
  });

  it("answers an ambiguous reference with one comment listing the candidates, and ticks nothing", async () => {
    const expected = github(config(), readIssue(readFixture("duplicate-numbers.md")), createComment(1, 7));

    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 0.1 and [AI] 1.1" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("POST", "/issues/7/comments")!.body).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-references -->
      I could not tick these items of #12:

      - \`#12 0.1\` matches 2 items:
        - \`[HUMAN] 0.1\` Create the GCP project (Phase 0: Access)
        - \`[AI] 0.1\` Create the repository layout (Phase 0: Access)
        Name the role to pick one, e.g. \`Completes #12 [HUMAN] 0.1\`.
      - \`#12 [AI] 1.1\` matches 2 items:
        - \`[AI] 1.1\` Download the raw data (Phase 1: Data)
        - \`[AI] 1.1\` Download the raw data (second source) (Phase 1: Data)
        They share role and number, so I cannot tell them apart: tick the right one in the issue by hand, or renumber them."
    `);
  });

  it("ticks what it can, and lists missing issues, non-backlogs, pull requests and other repositories", async () => {
    github(
      config(),
      readIssue(BACKLOG),
      readIssue(BACKLOG),
      writeIssue,
      ["GET", "/issues/13", 404, gh.githubError(404)],
      ["GET", "/issues/14", 200, gh.issue({ number: 14, body: OPEN, labels: ["bug"] })],
      ["GET", "/issues/15", 200, gh.issue({ number: 15, body: OPEN, pullRequest: true })],
      createComment(1, 7),
    );

    await deliver(
      "pull_request",
      pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6, #13 1.1, #14 2.6, #15 1.1 and acme/platform#12 2.6.\nImplements Codertocat/Hello-World#12 9.9" }),
    );

    expect(bodyOf("PATCH", "/issues/12")).toEqual({ body: TICKED });
    expect(bodyOf("POST", "/issues/7/comments")!.body).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-references -->
      I could not tick this item of #12:

      - \`Codertocat/Hello-World#12 9.9\` matches no item in #12.

      There is no issue #13 in this repository, so \`#13 1.1\` was not ticked.

      #14 is not a backlog issue (it has no **backlog** label), so \`#14 2.6\` was not ticked. Add the label and tick it by hand.

      #15 is a pull request, not a backlog issue, so \`#15 1.1\` was not ticked.

      I only tick items in this repository's issues, so \`acme/platform#12 2.6\` was not ticked.

      Ticked:
      - #12 \`[AI] 2.6\` Create Dev Environment Config"
    `);
  });

  it("does nothing for a closed unmerged PR, a PR without references, or a redelivered merge", async () => {
    await deliver("pull_request", pullRequestClosedPayload({ merged: false, body: "Completes #12 [AI] 2.6" }));
    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Closes #12, which is done." }));
    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: null }));
    expect(calls()).toEqual([]);

    const expected = github(config(), readIssue(BACKLOG), readIssue(BACKLOG), writeIssue);
    const merged = pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" });
    await deliver("pull_request", merged, "merge-1");
    await deliver("pull_request", merged, "merge-1");
    await deliver("pull_request", merged, "merge-1-redelivered-with-a-new-id");
    expect(calls()).toEqual(expected);
  });

  it("ticks nothing and writes nothing when the item is done already", async () => {
    const expected = github(config(), readIssue(TICKED));
    await deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" }));
    expect(calls()).toEqual(expected);
  });
});
