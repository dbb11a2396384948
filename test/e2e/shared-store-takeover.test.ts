import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PostgresJobStore } from "../../src/adapters/stores/postgres-job-store.js";
import { startBot, type BotHarness } from "../helpers/bot-harness.js";
import { JOB_PATH, ROOT, makeExampleOrigin } from "../helpers/example-repo.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { postgresServer } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate, nockCommandIntake, nockJobEnd, waitFor } from "../helpers/train-nocks.js";

const postgres = postgresServer();
let bot: BotHarness | undefined;
let github: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
  await bot?.stop();
  bot = undefined;
});

describe.runIf(postgres)("two bot processes on one PostgreSQL job store, one killed mid-job", () => {
  it("the other takes the job over once its lease lapses and ends it truthfully on GitHub", async () => {
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: { "train.n_estimators": "30" } });
    const url = await postgres!.createDatabase("takeover");
    // This process: the intake now, and later the worker that takes over (started after the kill).
    bot = await startBot({ dir, originRoot, store: new PostgresJobStore({ url }) });
    nockCommandIntake(bot, { commentId: 91, head, base, checkRunId: 910 });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 91 }));
    const [job] = await bot.engine.store.list({});

    // Another bot process on the same database claims the job (leased for 2 s, renewed while it
    // lives) and runs the real pipeline ...
    github = await startFakeGitHub();
    const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/crashing-bot.ts", bot.dataDir, path.join(originRoot, "{owner}", "{repo}"), JOB_PATH], {
      cwd: ROOT,
      stdio: "ignore",
      env: { ...process.env, FAKE_GITHUB_URL: github.url, MLOPS_JOB_STORE: url, TEST_LEASE_MS: "2000" },
    });
    await waitFor(async () => (await bot!.engine.store.get(job!.id))?.state === "running");
    await waitFor(async () => ((await bot!.engine.artifacts.get(`jobs/${job!.id}/log.txt`))?.length ?? 0) > 0);
    const claimed = await bot.engine.store.get(job!.id);
    // ... and is killed without a chance to clean up or release anything.
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await bot.engine.store.get(job!.id)).toMatchObject({ state: "running", worker: claimed!.worker });

    // The other instance: its worker takes the lapsed lease over, fails the job with the reason and reports it.
    nockJobEnd(bot, { checkRunId: 910, commentId: 91, reaction: "confused" });
    await bot.worker.start();
    await waitFor(async () => (await bot!.engine.store.get(job!.id))?.reported === true, 60_000);

    const ended = await bot.engine.store.get(job!.id);
    expect(ended).toMatchObject({ state: "failed", reported: true, worker: bot.worker.id });
    expect(ended!.reason).toMatch(/^The bot instance running this job stopped renewing its claim/);
    const end = finalCheckUpdate(bot, 910);
    expect(end.conclusion).toBe("failure");
    expect(end.output.title).toBe("Failed: The bot instance running this job stopped renewing its claim (it was stopped or lost the job store), so the result is unknown");
    expect(end.actions).toEqual([{ label: "Train again", description: "Run /train again on this commit", identifier: "train-again" }]);
  }, 180_000);
});
