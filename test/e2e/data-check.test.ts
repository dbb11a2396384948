import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CHECK_RUN_TEXT_LIMIT } from "../../src/report/format/fit-check-run-output.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { dvc, makeDvcOrigin, PR, type DvcOrigin } from "../helpers/dvc-origin.js";
import { OWNER, REPO, prCommentPayload, pullRequestEventPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";

let work: string;
let repo: DvcOrigin;
let originRoot: string;
let bot: BotHarness | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "mlops-bot-data-check-"));
  originRoot = path.join(work, "origin");
  repo = makeDvcOrigin({ dir: path.join(originRoot, OWNER, REPO), hugeFiles: 3000 });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const CHECK = 77;

/** A bot on the embedded defaults with the GitHub calls of one pull_request data check. */
async function botForPullRequest(params: { config?: string } = {}): Promise<BotHarness> {
  bot = await startBot({ dir: tempDir(), originRoot });
  bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
  commitRepoConfig(originRoot, params.config); // read with git from the default branch, not the contents API
  bot.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: CHECK, name: "mlops-bot/data" }));
  bot.api().patch(`${REPO_API}/check-runs/${CHECK}`).reply(200, gh.checkRun({ id: CHECK, name: "mlops-bot/data" })).persist();
  return bot;
}

async function checkPullRequest(number: number, params: { fork?: boolean } = {}): Promise<ReturnType<typeof finalCheckUpdate>> {
  const b = await botForPullRequest();
  await b.deliver("pull_request", pullRequestEventPayload({ action: "opened", number, head: repo.heads[number]!, base: repo.base, ...params }));
  await b.worker.start();
  await b.worker.idle();
  return finalCheckUpdate(b, CHECK);
}

/** The rows of the markdown table under `header` (cells trimmed), up to the first non-table line. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no table "${header}" in:\n${markdown}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("| ")) break;
    rows.push(line.slice(2, -2).split(" | "));
  }
  return rows;
}

type DvcDiff = Record<"added" | "deleted" | "modified", { path: string }[]> & { renamed: { path: { old: string; new: string } }[] };
type DvcValues = Record<string, Record<string, { old: unknown; new: unknown; diff?: number }>>;

const ICON = { added: "➕ added", deleted: "➖ deleted", modified: "✏️ modified", renamed: "🔀 renamed" } as const;
const sorted = (rows: string[][]) => rows.map((r) => r.join(" | ")).sort();
const round = (n: number) => String(Number(n.toFixed(5)));

/** The files table rows `dvc diff --json` implies (paths of the DVC root `ml/` made repository paths). */
function expectedFileRows(diff: DvcDiff): string[][] {
  const rows: string[][] = [];
  for (const kind of ["added", "deleted", "modified"] as const) {
    for (const e of diff[kind] ?? []) if (!e.path.endsWith("/")) rows.push([ICON[kind], `\`ml/${e.path}\``]);
  }
  for (const e of diff.renamed ?? []) rows.push([ICON.renamed, `\`ml/${e.path.old}\` → \`ml/${e.path.new}\``]);
  return rows;
}

/** Dataset rows (path, change, file counts) from `dvc diff --json`: its folder entries, with the file entries under each counted. */
function expectedDatasetRows(diff: DvcDiff): string[][] {
  const rows: string[][] = [];
  for (const kind of ["added", "deleted", "modified"] as const) {
    for (const dir of (diff[kind] ?? []).filter((e) => e.path.endsWith("/"))) {
      const under = (p: string) => p.startsWith(dir.path);
      const n = (k: "added" | "deleted" | "modified") => (diff[k] ?? []).filter((e) => !e.path.endsWith("/") && under(e.path)).length;
      const renamed = (diff.renamed ?? []).filter((e) => under(e.path.new)).length;
      const counts = [n("added") && `+${n("added")}`, n("deleted") && `-${n("deleted")}`, n("modified") && `${n("modified")} modified`, renamed && `${renamed} renamed`].filter(Boolean).join(", ");
      rows.push([`\`ml/${dir.path.slice(0, -1)}\` 📁`, ICON[kind], counts]);
    }
  }
  return rows;
}

function expectedValueRows(json: DvcValues, withChange: boolean): string[][] {
  return Object.entries(json).flatMap(([file, keys]) =>
    Object.entries(keys).map(([key, v]) => {
      const cell = (x: unknown) => (typeof x === "number" ? round(x) : String(x));
      const row = [`ml/${file}`, key, cell(v.old), cell(v.new)];
      return withChange ? [...row, v.diff === undefined ? "-" : round(v.diff)] : row;
    }),
  );
}

function dvcJson<T>(...args: string[]): T {
  return JSON.parse(dvc(repo.ml, ...args)) as T;
}

describe("the data check end to end (real git, real DVC, the whole bot)", () => {
  it("on pull_request.opened, the check run's tables equal dvc diff, dvc params diff and dvc metrics diff, in 2 API calls", async () => {
    const head = repo.heads[PR.changes]!;
    const done = await checkPullRequest(PR.changes);
    const { summary, title } = done.output;

    const diff = dvcJson<DvcDiff>("diff", "--json", repo.base, head);
    expect(sorted(tableRows(summary, "| Change | Path |"))).toEqual(sorted(expectedFileRows(diff)));
    expect(sorted(tableRows(summary, "| Dataset | Change | Files | Size |").map((r) => r.slice(0, 3)))).toEqual(sorted(expectedDatasetRows(diff)));
    const params = dvcJson<DvcValues>("params", "diff", "--json", repo.base, head);
    expect(sorted(tableRows(summary, `| Path | Param | main | pr-${PR.changes} |`))).toEqual(sorted(expectedValueRows(params, false)));
    const metrics = dvcJson<DvcValues>("metrics", "diff", "--json", repo.base, head);
    expect(sorted(tableRows(summary, `| Path | Metric | main | pr-${PR.changes} | Change |`))).toEqual(sorted(expectedValueRows(metrics, true)));

    expect(done.conclusion).toBe("success");
    expect(title).toMatch(/^2 datasets changed: \+2 files, -2 files, 2 modified, 2 renamed, [+-]\d+ B · 2 params changed · 2 metrics changed$/);
    expect(summary).toContain(`Comparing \`main\` (\`${repo.base.slice(0, 7)}\`) → \`pr-1\` (\`${head.slice(0, 7)}\`)`);
    expect(summary).toContain("Asked by `pull_request.opened`.");

    const calls = bot!.calls.filter((c) => !c.path.includes("/access_tokens")).map((c) => `${c.method} ${c.path}`);
    console.warn(`GitHub API calls for one pull_request data check (excluding the token exchange):\n  ${calls.join("\n  ")}`);
    expect(calls).toEqual([`POST ${REPO_API}/check-runs`, `PATCH ${REPO_API}/check-runs/${CHECK}`]);
    const queued = bot!.calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/check-runs`)!.body as Record<string, unknown>;
    expect(queued).toMatchObject({ name: "mlops-bot/data", head_sha: head, status: "queued" });
    const [job] = await bot!.engine.store.list({ kind: "diff" });
    expect(job).toMatchObject({ key: "delivery:delivery-1", state: "succeeded", reported: true, baseSha: repo.base, headSha: head, checkRunId: CHECK });
  });

  it("/diff on a pull request runs the same check, 👀 then 🚀, in 6 API calls", async () => {
    const head = repo.heads[PR.changes]!;
    bot = await startBot({ dir: tempDir(), originRoot });
    const { api } = bot;
    api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
    api().post(`${REPO_API}/issues/comments/9200/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
    api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    api()
      .get(`${REPO_API}/pulls/1`)
      .reply(200, gh.pullRequest({ number: 1, head, base: repo.base, author: "octocat" }));
    api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: CHECK, name: "mlops-bot/data" }));
    api().patch(`${REPO_API}/check-runs/${CHECK}`).reply(200, gh.checkRun({ id: CHECK, name: "mlops-bot/data" }));
    api().post(`${REPO_API}/issues/comments/9200/reactions`, { content: "rocket" }).reply(201, gh.reaction("rocket"));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/diff", commentId: 9200 }));
    await bot.worker.start();
    await bot.worker.idle();

    const done = finalCheckUpdate(bot, CHECK);
    expect(done.conclusion).toBe("success");
    const diff = dvcJson<DvcDiff>("diff", "--json", repo.base, head);
    expect(sorted(tableRows(done.output.summary, "| Change | Path |"))).toEqual(sorted(expectedFileRows(diff)));
    expect(done.output.summary).toContain("Asked by `/diff` from @octocat.");
    const [job] = await bot.engine.store.list({ kind: "diff" });
    expect(job).toMatchObject({ key: "comment:9200:0", commentId: 9200, state: "succeeded" });
    const calls = bot.calls.filter((c) => !c.path.includes("/access_tokens"));
    console.warn(`GitHub API calls for one /diff (excluding the token exchange): ${calls.length}\n  ${calls.map((c) => `${c.method} ${c.path}`).join("\n  ")}`);
    expect(calls).toHaveLength(6); // 👀, permission, the PR, the check run created and completed, 🚀: the config came from git
  });

  it("a malformed dvc.lock at head fails the check naming the file and line, and still reports the rest", async () => {
    const head = repo.heads[PR.badLock]!;
    const done = await checkPullRequest(PR.badLock);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toContain("ml/dvc.lock cannot be read at head");
    // The YAML parser notices the unclosed `[` of line 4 where line 5 starts.
    expect(done.output.summary).toContain("- head: ml/dvc.lock:5:5: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ].");
    expect(done.output.summary).toContain("**❌ ml/dvc.lock cannot be read at head.**");
    // data/raw comes from data/raw.dvc, which is fine: dvc diff agrees on it.
    const files = tableRows(done.output.summary, "| Change | Path |");
    expect(files).toEqual([[ICON.added, "`ml/data/raw/f.txt`"]]);
    // DVC itself refuses the commit (this is why the check fails rather than stays neutral).
    expect(() => dvc(repo.ml, "diff", "--json", repo.base, head)).toThrow(/in line \d+, column \d+/);
    expect(tableRows(done.output.summary, `| Path | Param | main | pr-${PR.badLock} |`)).toEqual([["ml/params.yaml", "prepare.split", "0.2", "0.3"]]);
  });

  it("a manifest that was never pushed is reported as not in cache: neutral, with the dataset still listed", async () => {
    const done = await checkPullRequest(PR.notPushed);
    expect(done.conclusion).toBe("neutral");
    expect(done.output.title).toBe("1 dataset changed: +5 B · incomplete: 1 manifest not in cache");
    expect(tableRows(done.output.summary, "| Dataset | Change | Files | Size |")).toEqual([["`ml/data/raw` 📁", ICON.modified, "unknown (not in cache)", "+5 B (26 B → 31 B)"]]);
    expect(done.output.summary).toMatch(/- `ml\/data\/raw` at head \(`[0-9a-f]{32}\.dir`\)/);
    expect(done.output.summary).toContain("`dvc push` the data of this branch");
  });

  it("cuts a huge change list with a count of what was left out, within GitHub's limits", async () => {
    const done = await checkPullRequest(PR.huge);
    expect(done.conclusion).toBe("success");
    expect(done.output.title).toMatch(/^1 dataset changed: \+3,000 files, \+[\d.]+ kB$/);
    const rows = tableRows(done.output.summary, "| Change | Path |");
    const more = rows.at(-1)!;
    expect(more[0]).toBe("…");
    expect(Number(more[1]!.replace(/\D/g, "")) + rows.length - 1).toBe(3000);
    expect(Buffer.byteLength(done.output.summary)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(done.output.title.length).toBeLessThanOrEqual(255);
  });

  it("runs on a fork PR but never reads the fork's .dvc/config: its remote is not used", async () => {
    const done = await checkPullRequest(PR.fork, { fork: true });
    // The head's manifest exists only in the folder the fork's config names: the bot reports it missing.
    expect(done.conclusion).toBe("neutral");
    expect(done.output.summary).toMatch(/- `ml\/data\/raw` at head \(`[0-9a-f]{32}\.dir`\)/);
    expect(done.output.summary).not.toContain(repo.forkRemote);
  });

  it("says the check could not run, and why, when a commit cannot be fetched", async () => {
    const b = await botForPullRequest();
    await b.deliver("pull_request", pullRequestEventPayload({ action: "opened", head: "0".repeat(40), base: repo.base }));
    await b.worker.start();
    await b.worker.idle();
    const done = finalCheckUpdate(b, CHECK);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("The data check could not run");
    expect(done.output.summary).toMatch(/^git fetch of (\w+, )?0000000 from .* failed: .*not our ref 0{40}\n\nComment `\/diff` on the pull request to run it again\.$/s);
  });

  it("does nothing twice for a redelivered pull_request, and a newer push supersedes the older check", async () => {
    const b = await botForPullRequest();
    b.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: CHECK + 1, name: "mlops-bot/data" }));
    b.api().patch(`${REPO_API}/check-runs/${CHECK + 1}`).reply(200, gh.checkRun({ id: CHECK + 1, name: "mlops-bot/data" })).persist();
    const opened = pullRequestEventPayload({ action: "opened", head: repo.heads[PR.notPushed]!, base: repo.base });
    await b.deliver("pull_request", opened, "delivery-a");
    await b.deliver("pull_request", opened, "delivery-a");
    expect(await b.engine.store.list({ kind: "diff" })).toHaveLength(1);

    await b.deliver("pull_request", pullRequestEventPayload({ action: "synchronize", head: repo.heads[PR.changes]!, base: repo.base }), "delivery-b");
    await b.worker.start();
    await b.worker.idle();

    const jobs = await b.engine.store.list({ kind: "diff" });
    expect(jobs.map((j) => [j.key, j.state])).toEqual([
      ["delivery:delivery-a", "cancelled"],
      ["delivery:delivery-b", "succeeded"],
    ]);
    const old = finalCheckUpdate(b, CHECK);
    expect(old.conclusion).toBe("cancelled");
    expect(old.output.summary).toBe(`Superseded by a newer data check of #1 (\`pull_request.synchronize\`, \`${repo.heads[PR.changes]!.slice(0, 7)}\`).`);
    expect(finalCheckUpdate(b, CHECK + 1).conclusion).toBe("success");
    expect(b.calls.filter((c) => c.method === "POST" && c.path === `${REPO_API}/check-runs`)).toHaveLength(2);
  });
});
