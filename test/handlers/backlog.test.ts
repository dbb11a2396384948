import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { issuesPayload, pullRequestClosedPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";
import { readFixture } from "../core/backlog/read-fixture.js";
import * as gh from "../helpers/github-responses.js";

// The backlog end to end: `issues` and `pull_request.closed` deliveries through Probot, the
// whole bot wired as in main.ts (SQLite store), GitHub faked with nock. Every call the bot makes
// is recorded in `bot.calls`, so each test asserts the exact requests and their bodies. GitHub's
// side of a test is one table (`github(...rows)`): a row per call, in the order the bot makes
// them, which both fakes the answers and says which calls the bot must make.

const OPEN = [
  "## Phase 1: Data ✅",
  "- [x] [AI] 1.1: Generate the data set",
  "- [⏭️] [AI] 1.2: Label by hand - deferred",
  "",
  "## Phase 2: Model 🔄",
  "- [x] [HUMAN] 2.1: Approve the budget",
  "- [ ] [AI] 2.6: Create Dev Environment Config",
  "",
].join("\n");
const DONE = OPEN.replace("- [ ] [AI] 2.6", "- [x] [AI] 2.6");

const issueJson = (body: string, state: "open" | "closed" = "open", stateReason: string | null = null, labels = ["backlog"]) =>
  gh.issue({ number: 12, body, state, stateReason, labels });

/** One GitHub call of a test: method, path under the repository, and GitHub's answer. */
type Row = readonly [method: "GET" | "POST" | "PATCH", path: string, status: number, body?: unknown];
const config = (text?: string): Row =>
  text === undefined ? ["GET", "/contents/.github%2Fmlops-bot.yml", 404, gh.githubError(404)] : ["GET", "/contents/.github%2Fmlops-bot.yml", 200, text];
const listComments = (...comments: unknown[]): Row => ["GET", "/issues/12/comments?per_page=100", 200, comments];
const createComment = (id: number, issue = 12): Row => ["POST", `/issues/${issue}/comments`, 201, gh.issueComment({ id, issue })];
const editComment = (id: number): Row => ["PATCH", `/issues/comments/${id}`, 200, gh.issueComment({ id, issue: 12 })];
const readIssue = (body: string, state: "open" | "closed" = "open", stateReason: string | null = null): Row => ["GET", "/issues/12", 200, issueJson(body, state, stateReason)];
const writeIssue: Row = ["PATCH", "/issues/12", 200, gh.issue({ number: 12, body: "" })];
/** The first progress comment on #12 (none listed yet, one created). */
const firstProgress = (id = 901): Row[] => [listComments(), createComment(id)];
/** Closing #12 when its last item is done: read it again, close it, say why. */
const CLOSE_AS_DONE: Row[] = [readIssue(DONE), writeIssue, createComment(902)];

let bot: BotHarness;
beforeEach(async () => {
  const dir = tempDir();
  bot = await startBot({ dir, originRoot: path.join(dir, "origin") });
  bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_t")).persist();
});
afterEach(async () => {
  await bot.stop();
});

/** `METHOD path` of every GitHub call but the token exchange. */
const calls = () => bot.calls.filter((c) => !c.path.includes("/access_tokens")).map((c) => `${c.method} ${c.path.replace(REPO_API, "")}`);
const bodyOf = (method: string, suffix: string) => bot.calls.find((c) => c.method === method && c.path.endsWith(suffix))?.body as Record<string, unknown> | undefined;

/** Fakes GitHub's answers to `rows` (consumed in order) and returns the calls the bot must make, as `calls()` lists them. */
function github(...rows: Row[]): string[] {
  for (const [method, where, status, body] of rows) {
    const [pathname = "", query] = where.split("?");
    const interceptor = bot.api().intercept(`${REPO_API}${pathname}`, method);
    (query ? interceptor.query(true) : interceptor).reply(status, body as never);
  }
  return rows.map(([method, where]) => `${method} ${where}`);
}

describe("backlog issues", () => {
  it("keeps one progress comment: creates it, edits it by its cached id, and skips unchanged progress", async () => {
    const expected = github(config(), listComments(gh.issueComment({ id: 1, body: "A person's comment", login: "octocat", issue: 12 })), createComment(901));
    await bot.deliver("issues", issuesPayload({ action: "opened", body: OPEN, updatedAt: "2024-05-01T10:00:00Z" }));

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
    await bot.deliver("issues", issuesPayload({ action: "edited", body: unticked21, previousBody: OPEN, updatedAt: "2024-05-01T10:01:00Z" }));
    expect(bodyOf("PATCH", "/issues/comments/901")!.body).toContain("**Overall:** `▓▓▓░░░░░░░ 33%` · 1 done · 1 skipped · 2 open (4 items)");

    expected.push(...github(config())); // prose around the items changed; the progress did not: no comment call
    await bot.deliver("issues", issuesPayload({ action: "edited", body: `Plan for Q3.\n\n${unticked21}`, previousBody: unticked21, updatedAt: "2024-05-01T10:02:00Z" }));

    expect(calls()).toEqual(expected);
  });

  it("closes the issue as completed, with a comment, when an edit ticks the last item", async () => {
    const expected = github(config(), ...firstProgress(), ...CLOSE_AS_DONE);

    await bot.deliver("issues", issuesPayload({ action: "edited", body: DONE, previousBody: OPEN }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ state: "closed", state_reason: "completed" });
    const comments = bot.calls.filter((c) => c.method === "POST" && c.path.endsWith("/issues/12/comments"));
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

    await bot.deliver("issues", issuesPayload({ action: "edited", body: OPEN, previousBody: DONE, state: "closed", stateReason: "completed" }));

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
    await bot.deliver("issues", issuesPayload({ action: "edited", body: DONE.replace("Approve", "Approve"), previousBody: DONE.replace("Approve", "Aprove") }));

    // Another bot unticks an item of a closed backlog: progress follows, the state does not.
    expected.push(...github(config(), editComment(901)));
    await bot.deliver(
      "issues",
      issuesPayload({ action: "edited", body: OPEN, previousBody: DONE, state: "closed", stateReason: "completed", senderType: "Bot", updatedAt: "2024-05-01T11:00:00Z" }),
    );

    expect(calls()).toEqual(expected);
  });

  it("does nothing twice when GitHub redelivers an issue event", async () => {
    const expected = github(config(), ...firstProgress(), ...CLOSE_AS_DONE);

    const payload = issuesPayload({ action: "edited", body: DONE, previousBody: OPEN });
    await bot.deliver("issues", payload, "issue-delivery-1");
    expect(calls()).toEqual(expected);
    await bot.deliver("issues", payload, "issue-delivery-1"); // no scope is left for a second call

    expect(calls()).toEqual(expected);
  });

  it("handles opened and labeled of a new labelled issue one after the other: one progress comment, one close", async () => {
    const expected = github(config(), ...firstProgress(), ...CLOSE_AS_DONE, config(), readIssue(DONE, "closed", "completed"));

    // GitHub sends both at once for an issue created with the label; Probot runs them concurrently.
    await Promise.all([
      bot.deliver("issues", issuesPayload({ action: "opened", body: DONE })),
      bot.deliver("issues", issuesPayload({ action: "labeled", body: DONE, addedLabel: "backlog" })),
    ]);

    expect(calls()).toEqual(expected);
  });

  it("lets a redelivery retry an event that failed on GitHub's side", async () => {
    const expected = github(config(), listComments(), ["POST", "/issues/12/comments", 502, gh.githubError(502, "Bad Gateway")]);
    const payload = issuesPayload({ action: "opened", body: OPEN });
    await expect(bot.deliver("issues", payload, "flaky-1")).rejects.toThrow();

    expected.push(...github(config(), ...firstProgress()));
    await bot.deliver("issues", payload, "flaky-1");

    expect(calls()).toEqual(expected);
  });

  it("ignores a delivery older than one already handled (out of order), so progress never goes back", async () => {
    const expected = github(config(), ...firstProgress());
    await bot.deliver("issues", issuesPayload({ action: "edited", body: OPEN, previousBody: "", updatedAt: "2024-05-01T10:05:00Z" }));
    expected.push(...github(config()));
    await bot.deliver("issues", issuesPayload({ action: "edited", body: DONE, previousBody: OPEN, updatedAt: "2024-05-01T10:04:00Z" }));

    expect(calls()).toEqual(expected);
  });

  it("leaves issues that are not backlogs alone, and finds backlogs by content when the config says so", async () => {
    const expected = github(config());
    await bot.deliver("issues", issuesPayload({ action: "opened", body: OPEN, labels: ["bug"] }));
    expected.push(...github(config("backlog:\n  detect: content\n")));
    await bot.deliver("issues", issuesPayload({ action: "opened", body: "### Checklist\n- [x] I searched the existing issues\n", labels: ["bug"], number: 13 }));
    expected.push(...github(config("backlog:\n  detect: content\n"), ["GET", "/issues/14/comments?per_page=100", 200, []], createComment(904, 14)));
    await bot.deliver("issues", issuesPayload({ action: "opened", body: OPEN, labels: [], number: 14 }));

    expect(calls()).toEqual(expected);
  });

  it("starts when the backlog label is added (configured name, any case), and ignores other labels and title edits", async () => {
    const roadmap = "backlog:\n  label: Roadmap\n";
    const expected = github(config(roadmap));
    await bot.deliver("issues", issuesPayload({ action: "labeled", body: OPEN, labels: ["roadmap", "bug"], addedLabel: "bug" }));
    expected.push(...github(config(roadmap), ...firstProgress(905)));
    await bot.deliver("issues", issuesPayload({ action: "labeled", body: OPEN, labels: ["roadmap"], addedLabel: "roadmap" }));
    await bot.deliver("issues", issuesPayload({ action: "edited", body: OPEN })); // title only: no config read either

    expect(calls()).toEqual(expected);
  });

  it("does nothing but log on an invalid config, even for an empty or odd body", async () => {
    const expected = github(config("backlog:\n  detect: sometimes\n"));
    await bot.deliver("issues", issuesPayload({ action: "opened", body: null }));
    expected.push(...github(config("backlog: [\n")));
    await bot.deliver("issues", issuesPayload({ action: "edited", body: "- [x", previousBody: "\u0000" }));
    expect(calls()).toEqual(expected);
  });
});

describe("merged pull requests tick backlog items", () => {
  const BACKLOG = readFixture("gcp-terraform.md");
  const TICKED = BACKLOG.replace("- [ ] [AI] 2.6: Create Dev Environment Config", "- [x] [AI] 2.6: Create Dev Environment Config");

  it("ticks `Completes #12 [AI] 2.6` in #12, changing only that box, after reading the issue again", async () => {
    expect(TICKED).not.toBe(BACKLOG);
    const expected = github(config(), readIssue(BACKLOG), readIssue(BACKLOG), writeIssue);

    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Adds the dev environment.\n\nCompletes #12 [AI] 2.6" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ body: TICKED });
  });

  it("closes the backlog through the edit that follows when the PR ticked its last item", async () => {
    const expected = github(config(), readIssue(OPEN), readIssue(OPEN), writeIssue);
    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 2.6" }));
    expect(bodyOf("PATCH", "/issues/12")).toEqual({ body: DONE });

    // GitHub then sends issues.edited, sent by the bot itself: progress, then close.
    expected.push(...github(config(), ...firstProgress(), ...CLOSE_AS_DONE));
    await bot.deliver("issues", issuesPayload({ action: "edited", body: DONE, previousBody: OPEN, senderType: "Bot" }));

    expect(calls()).toEqual(expected);
    expect(bot.calls.filter((c) => c.method === "PATCH" && c.path.endsWith("/issues/12")).map((c) => c.body)).toEqual([
      { body: DONE },
      { state: "closed", state_reason: "completed" },
    ]);
  });

  it("keeps a person's edit made between the read and the write, and ticks on top of it", async () => {
    const edited = `Owner: @octocat\n\n${BACKLOG.replace("- [ ] [AI] 3.1: Cloud Run Job for training", "- [x] [AI] 3.1: Cloud Run Job for training")}`;
    // A person edited #12 between the bot's first read and its write.
    const expected = github(config(), readIssue(BACKLOG), readIssue(edited), readIssue(edited), writeIssue);

    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("PATCH", "/issues/12")).toEqual({
      body: edited.replace("- [ ] [AI] 2.6: Create Dev Environment Config", "- [x] [AI] 2.6: Create Dev Environment Config"),
    });
  });

  it("gives up on an issue that changes on every read, and says so on the PR", async () => {
    const expected = github(config(), readIssue(BACKLOG), readIssue(`a\n\n${BACKLOG}`), readIssue(`b\n\n${BACKLOG}`), createComment(1, 7));

    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" }));

    expect(calls()).toEqual(expected);
    expect(bodyOf("POST", "/issues/7/comments")!.body).toBe(
      "<!-- mlops-bot:backlog-references -->\n#12 was edited while I was ticking it, twice, so I left it alone: tick `#12 [AI] 2.6` by hand.",
    );
  });

  it("answers an ambiguous reference with one comment listing the candidates, and ticks nothing", async () => {
    const expected = github(config(), readIssue(readFixture("duplicate-numbers.md")), createComment(1, 7));

    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 0.1 and [AI] 1.1" }));

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

    await bot.deliver(
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
    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: false, body: "Completes #12 [AI] 2.6" }));
    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Closes #12, which is done." }));
    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: null }));
    expect(calls()).toEqual([]);

    const expected = github(config(), readIssue(BACKLOG), readIssue(BACKLOG), writeIssue);
    const merged = pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" });
    await bot.deliver("pull_request", merged, "merge-1");
    await bot.deliver("pull_request", merged, "merge-1");
    await bot.deliver("pull_request", merged, "merge-1-redelivered-with-a-new-id");
    expect(calls()).toEqual(expected);
  });

  it("ticks nothing and writes nothing when the item is done already", async () => {
    const expected = github(config(), readIssue(TICKED));
    await bot.deliver("pull_request", pullRequestClosedPayload({ merged: true, body: "Completes #12 [AI] 2.6" }));
    expect(calls()).toEqual(expected);
  });
});
