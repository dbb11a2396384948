import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, type BotHarness } from "../helpers/bot-harness.js";
import { JOB_PATH, ROOT, makeExampleOrigin } from "../helpers/example-repo.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate, nockCommandIntake, nockJobEnd, waitFor } from "../helpers/train-nocks.js";

let bot: BotHarness | undefined;
let github: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
  await bot?.stop();
  bot = undefined;
});

describe("/train survives the bot being killed mid-job", () => {
  it("finishes the interrupted job truthfully on restart: failed, with the reason and a re-run button", async () => {
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: { "train.n_estimators": "30" } });
    bot = await startBot({ dir, originRoot });
    nockCommandIntake(bot, { commentId: 91, head, base, checkRunId: 910 });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 91 }));
    const [job] = await bot.engine.store.list({});

    // Another bot process claims the job and starts the real pipeline ...
    github = await startFakeGitHub();
    const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/crashing-bot.ts", bot.dataDir, path.join(originRoot, "{owner}", "{repo}"), JOB_PATH], {
      cwd: ROOT,
      env: { ...process.env, FAKE_GITHUB_URL: github.url },
      stdio: "ignore",
    });
    await waitFor(async () => (await bot!.engine.store.get(job!.id))?.state === "running");
    // ... is in the middle of it: its sandbox running the pipeline (bubblewrap up, binding the run's scratch folder:
    // the checkout itself may reach bwrap through a stage folder when the bot is root). The log's first line, on the
    // DVC cache, comes before the sandbox exists: waiting for it, a loaded machine killed the child too early.
    const sandboxed = () => scratchFoldersOf(child.pid!).some((folder) => processesUsing(folder, "bwrap"));
    await waitFor(sandboxed, 120_000);
    // ... and is killed without a chance to clean up.
    const checkouts = path.join(bot.dataDir, "sources", "worktrees");
    const left = readdirSync(checkouts);
    expect(left).toHaveLength(1);
    const scratch = scratchFoldersOf(child.pid!);
    expect(scratch).toHaveLength(1);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect((await bot.engine.store.get(job!.id))?.state).toBe("running");
    // Its sandbox died with it (--die-with-parent): nothing of the pipeline runs any more.
    await waitFor(() => !processesUsing(path.join(checkouts, left[0]!)) && !processesUsing(scratch[0]!));

    // The restarted bot finds it and finishes it on GitHub.
    nockJobEnd(bot, { checkRunId: 910, commentId: 91, reaction: "confused" });
    await bot.worker.start();
    await bot.worker.idle();

    expect(await bot.engine.store.get(job!.id)).toMatchObject({ state: "failed", reported: true });
    const end = finalCheckUpdate(bot, 910);
    expect(end.conclusion).toBe("failure");
    expect(end.output.title).toBe("Failed: The bot stopped while this job was running, so its result is unknown");
    expect(end.output.summary).toContain("Nothing was kept from the interrupted run; run it again (Train again, /diff or /build) to get a result.");
    expect(end.actions).toEqual([{ label: "Train again", description: "Run /train again on this commit", identifier: "train-again" }]);
    // What the dead process left is gone: its job's checkout and scratch folder.
    expect(readdirSync(checkouts)).toEqual([]);
    expect(existsSync(scratch[0]!)).toBe(false);
  }, 300_000);
});

/** The sandbox scratch folders whose owner is process `pid`. */
function scratchFoldersOf(pid: number): string[] {
  const root = path.join(tmpdir(), `mlops-bot-jobs-${process.getuid!()}`);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((dir) => {
      try {
        return (JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as { pid: number }).pid === pid;
      } catch {
        return false;
      }
    });
}

/** Whether any process's command line names `folder` (a sandbox launcher binds it), and `also` if given. */
function processesUsing(folder: string, also = ""): boolean {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .some((p) => {
      try {
        const cmdline = readFileSync(`/proc/${p}/cmdline`, "utf8");
        return cmdline.includes(folder) && cmdline.includes(also);
      } catch {
        return false;
      }
    });
}
