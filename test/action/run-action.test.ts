/**
 * The GitHub Action's entry (src/action/run-action.ts) as a workflow step runs it: the variables
 * GitHub Actions sets (GITHUB_EVENT_PATH with a real payload from @octokit/webhooks-examples,
 * INPUT_* for the inputs, GITHUB_STEP_SUMMARY, RUNNER_TEMP), a real checkout of the example
 * project (a clone, as actions/checkout leaves it), the real pipeline, and GitHub's REST API in nock.
 */
import examples from "@octokit/webhooks-examples";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../../src/action/run-action.js";
import { TRAIN_MARKER } from "../../src/core/jobs/train-job.js";
import { JOB_PATH, makeExampleOrigin } from "../helpers/example-repo.js";
import { git } from "../helpers/git-repo.js";
import { checkRun, githubError, issueComment, permission, pullRequest } from "../helpers/github-responses.js";
import { OWNER, REPO } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";

const API = "https://api.github.com";
const TOKEN = "ghs_workflowTokenOfThisRun0123456789";
const PR = 7;
const repoPath = `/repos/${OWNER}/${REPO}`;

type Example = Record<string, any>;
function example(name: string, action: string): Example {
  const group = (examples as unknown as Array<{ name: string; examples: Example[] }>).find((e) => e.name === name);
  return structuredClone(group!.examples.find((e) => e.action === action)!);
}

let origin: string;
let head: string;

// The "GitHub repository": main, and pull request #7's head (refs/pull/7/head) changing the learning rate.
beforeAll(() => {
  origin = path.join(mkdtempSync(path.join(tmpdir(), "mlops-bot-action-")), "origin");
  ({ head } = makeExampleOrigin({ dir: origin, pr: PR, change: { "train.learning_rate": "0.3" } }));
});

afterAll(() => {
  if (origin) rmSync(path.dirname(origin), { recursive: true, force: true });
});

/** A checkout of the default branch, as actions/checkout with fetch-depth: 0 leaves it (origin/main, no PR refs). */
function checkout(config?: string): string {
  const ws = path.join(tempDir("mlops-bot-action-ws-"), REPO);
  git(path.dirname(ws), "clone", "-q", origin, ws);
  if (config) {
    mkdirSync(path.join(ws, ".github"), { recursive: true });
    writeFileSync(path.join(ws, ".github/mlops-bot.yml"), config);
  }
  return ws;
}

function step(params: { event: Example; eventName: string; workspace: string; inputs?: Record<string, string> }) {
  const dir = tempDir("mlops-bot-action-run-");
  const eventPath = path.join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(params.event));
  const summary = path.join(dir, "step-summary.md");
  writeFileSync(summary, "");
  const env: NodeJS.ProcessEnv = {
    PATH: JOB_PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: params.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: API,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_WORKSPACE: params.workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_RUN_ID: "4242",
    GITHUB_ACTOR: "Codertocat",
    GITHUB_TOKEN: TOKEN,
    RUNNER_TEMP: path.join(dir, "runner-temp"),
    "INPUT_GITHUB-TOKEN": TOKEN,
    INPUT_COMMAND: "train",
    ...Object.fromEntries(Object.entries(params.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const io = { env, stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return { io, summary: () => readFileSync(summary, "utf8") };
}

function pullRequestEvent(): Example {
  const event = example("pull_request", "opened");
  event.number = PR;
  event.pull_request.number = PR;
  event.pull_request.head.sha = head;
  event.pull_request.base.ref = "main";
  return event;
}

function commentEvent(body: string, author: string): Example {
  const event = example("issue_comment", "created");
  event.issue.number = PR;
  event.issue.pull_request = { url: `${API}${repoPath}/pulls/${PR}` };
  event.comment.body = body;
  event.comment.user.login = author;
  event.sender.login = author;
  return event;
}

describe("the GitHub Action (uses: mlops-bot@v1)", () => {
  it("on pull_request: trains the PR head with the real pipeline, completes the check run and writes its sticky comment", async () => {
    const bodies: Record<string, any> = {};
    const api = nock(API)
      .post(`${repoPath}/check-runs`, (b) => ((bodies.created = b), true))
      .reply(201, checkRun({ id: 11, headSha: head }))
      .patch(`${repoPath}/check-runs/11`, (b) => ((bodies.completed = b), true))
      .reply(200, checkRun({ id: 11, headSha: head }))
      .get(`${repoPath}/issues/${PR}/comments`)
      .query({ per_page: "100", page: "1" })
      // Someone quoting the marker: not the Action's comment, left alone.
      .reply(200, [issueComment({ id: 5, body: `> ${TRAIN_MARKER} quoted`, login: "someone", issue: PR })])
      .post(`${repoPath}/issues/${PR}/comments`, (b) => ((bodies.comment = b), true))
      .reply(201, issueComment({ id: 6, login: "github-actions[bot]", issue: PR }));
    const ws = checkout();
    const { io, summary } = step({ event: pullRequestEvent(), eventName: "pull_request", workspace: ws });

    const code = await runAction(io);

    expect(api.isDone()).toBe(true);
    expect(bodies.created).toMatchObject({ name: "mlops-bot/train", head_sha: head, status: "in_progress", details_url: `https://github.com/${OWNER}/${REPO}/actions/runs/4242` });
    expect(bodies.completed).toMatchObject({ status: "completed", conclusion: "success" });
    expect(bodies.completed.output.summary).toContain("| ml/params.yaml | train.learning_rate | 0.1 | 0.3 |");
    expect(bodies.comment.body).toContain(TRAIN_MARKER);
    expect(bodies.comment.body).toContain("requested by @Codertocat");
    expect(summary()).toMatch(/^## mlops-bot\/train: /);
    expect(summary()).toContain("| ml/params.yaml | train.learning_rate | 0.1 | 0.3 |");
    expect(code).toBe(0);
    for (const text of [io.stdout, io.stderr, summary(), JSON.stringify(bodies)]) expect(text).not.toContain(TOKEN);
    expect(git(ws, "status", "--porcelain")).toBe(""); // the run's files went to RUNNER_TEMP, not the workspace
  }, 300_000);

  it("on issue_comment /train with overrides from a maintainer: checks the permission, reads the PR, updates its own sticky comment", async () => {
    const bodies: Record<string, any> = {};
    const api = nock(API)
      .get(`${repoPath}/collaborators/octocat/permission`)
      .reply(200, permission("octocat", "write"))
      .get(`${repoPath}/pulls/${PR}`)
      .reply(200, pullRequest({ number: PR, head, base: git(origin, "rev-parse", "main") }))
      .post(`${repoPath}/check-runs`, (b) => ((bodies.created = b), true))
      .reply(201, checkRun({ id: 12, headSha: head }))
      .patch(`${repoPath}/check-runs/12`, (b) => ((bodies.completed = b), true))
      .reply(200, checkRun({ id: 12, headSha: head }))
      .get(`${repoPath}/issues/${PR}/comments`)
      .query({ per_page: "100", page: "1" })
      .reply(200, [issueComment({ id: 99, body: `${TRAIN_MARKER}\nold report`, login: "github-actions[bot]", issue: PR })])
      .patch(`${repoPath}/issues/comments/99`, (b) => ((bodies.comment = b), true))
      .reply(200, issueComment({ id: 99, login: "github-actions[bot]", issue: PR }));
    // A quick pipeline from the default branch's config (the workflow checks out the default branch for comments).
    const ws = checkout('pipeline:\n  workdir: ml\n  train: [python, -c, "import json; json.dump({\'accuracy\': 0.93}, open(\'metrics.json\', \'w\'))"]\n');
    const { io, summary } = step({ event: commentEvent("Looks good.\n/train train.n_estimators=120", "octocat"), eventName: "issue_comment", workspace: ws });

    const code = await runAction(io);

    expect(api.isDone()).toBe(true);
    expect(bodies.created).toMatchObject({ head_sha: head });
    expect(bodies.completed.output.summary).toContain("| ml/params.yaml | train.n_estimators | 100 | 120 |");
    expect(bodies.comment.body).toContain("requested by @octocat");
    expect(summary()).toContain("train.n_estimators");
    expect(code).toBe(0);
  }, 120_000);

  it("refuses a comment's /train from someone without write access, and ignores a /train inside a code block", async () => {
    const api = nock(API).get(`${repoPath}/collaborators/stranger/permission`).reply(404, githubError(404));
    const ws = checkout();
    const refused = step({ event: commentEvent("/train", "stranger"), eventName: "issue_comment", workspace: ws });
    expect(await runAction(refused.io)).toBe(0);
    expect(api.isDone()).toBe(true);
    expect(refused.summary()).toContain("@stranger has none access; /train needs write access");

    const quoted = step({ event: commentEvent("Try:\n```\n/train\n```", "octocat"), eventName: "issue_comment", workspace: ws });
    expect(await runAction(quoted.io)).toBe(0);
    expect(quoted.io.stdout).toContain("nothing to do: the comment asks for no /train or /diff");
  });

  it("on a fork's pull_request (read-only token): diff's report goes to the job summary only", async () => {
    const api = nock(API).post(`${repoPath}/check-runs`).reply(403, githubError(403, "Resource not accessible by integration"));
    const ws = checkout();
    const { io, summary } = step({ event: pullRequestEvent(), eventName: "pull_request", workspace: ws, inputs: { command: "diff" } });

    expect(await runAction(io)).toBe(0);
    expect(api.isDone()).toBe(true);
    expect(io.stdout).toContain("may not write checks here");
    expect(summary()).toMatch(/^## Data: origin\/main → [0-9a-f]{40}/);
    expect(summary()).toContain("train.learning_rate");
  }, 60_000);

  it("never leaves the check run in progress: an error mid-run completes it as failed, naming the error", async () => {
    const bodies: Record<string, any> = {};
    const api = nock(API)
      .post(`${repoPath}/check-runs`)
      .reply(201, checkRun({ id: 13, headSha: head }))
      .patch(`${repoPath}/check-runs/13`, (b) => ((bodies.completed = b), true))
      .reply(200, checkRun({ id: 13, headSha: head }));
    const ws = checkout();
    const { io } = step({ event: pullRequestEvent(), eventName: "pull_request", workspace: ws });
    // RUNNER_TEMP is a file: the run's folder cannot be made.
    const file = path.join(ws, "..", "not-a-folder");
    writeFileSync(file, "");
    io.env.RUNNER_TEMP = file;

    await expect(runAction(io)).rejects.toThrow(/ENOTDIR|EEXIST|not a directory/i);
    expect(api.isDone()).toBe(true);
    expect(bodies.completed).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "mlops-bot failed" } });
    expect(bodies.completed.output.summary).toMatch(/^The run stopped on an error: /);
  }, 60_000);

  it("names a bad input or a missing event with what to change, exit code 2", async () => {
    const ws = checkout();
    const bad = step({ event: pullRequestEvent(), eventName: "pull_request", workspace: ws, inputs: { command: "deploy" } });
    expect(await runAction(bad.io)).toBe(2);
    expect(bad.io.stderr).toBe('::error::mlops-bot: input command is "deploy"; use one of train, diff, backlog.\n');
    const noEvent = step({ event: {}, eventName: "pull_request", workspace: ws });
    noEvent.io.env.GITHUB_EVENT_PATH = path.join(ws, "missing.json");
    expect(await runAction(noEvent.io)).toBe(2);
    expect(noEvent.io.stderr).toContain("GITHUB_EVENT_PATH");
    const args = step({ event: pullRequestEvent(), eventName: "pull_request", workspace: ws, inputs: { args: "train.n_estimators=1 stray" } });
    expect(await runAction(args.io)).toBe(2);
    expect(args.io.stderr).toContain('input args are key=value overrides; got "stray"');
  });
});
