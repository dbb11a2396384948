import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { OWNER, REPO } from "../helpers/payloads.js";
import { filesWithMarker } from "./attack-control.js";
import { evidence, leaked, markedProcesses, runAttack, type Attack } from "./attack-lab.js";
import { attemptResults, HOST_ATTEMPTS, JUDGED_ATTEMPTS } from "./attack-scripts.js";

export interface ContainedAttack {
  readonly attack: Attack;
  readonly seen: ReturnType<typeof evidence>;
  readonly host: { left: number[]; written: string[]; mirrorHooks: string[]; mirrorConfig: string; botAlive: boolean };
}

/**
 * Runs the attack once (in `beforeAll`) with the given runner and registers the checks every
 * runner must pass. `before` prepares (an image); `after` runs once the host's state is recorded
 * (the control).
 * Returns a getter for the shared run, for a file's own extra checks.
 */
export function checkContainedAttack(
  params: Parameters<typeof runAttack>[0] & { before?: () => Promise<void>; after?: (run: ContainedAttack) => Promise<void> },
): () => ContainedAttack {
  let run: ContainedAttack | undefined;
  const get = () => {
    if (!run) throw new Error("the attack did not run");
    return run;
  };

  beforeAll(async () => {
    await params.before?.();
    const attack = await runAttack(params);
    const { targets, marker } = attack.lab;
    const hooks = path.join(targets.mirror, "hooks");
    run = {
      attack,
      seen: evidence(attack),
      host: {
        left: markedProcesses(marker),
        written: filesWithMarker(marker, [targets.dataDir, targets.botDir, path.join(targets.venv, "bin")]),
        mirrorHooks: existsSync(hooks) ? readdirSync(hooks) : [],
        mirrorConfig: readFileSync(path.join(targets.mirror, "config"), "utf8"),
        botAlive: attack.child.exitCode === null,
      },
    };
    await params.after?.(run);
  }, 400_000);

  afterAll(async () => {
    await run?.attack.stop();
  });

  it("ran the pipeline to its end and reported it", async () => {
    const { attack, seen } = get();
    expect(await attack.bot.engine.store.get(attack.jobId)).toMatchObject({ state: "succeeded", reported: true });
    expect(seen.log).toContain("attack done");
    expect([...attemptResults(seen.log).keys()].sort()).toEqual([...JUDGED_ATTEMPTS, ...HOST_ATTEMPTS].sort());
  });

  it("fails every attempt to get out: no secret read, nothing written outside, no bot process seen", () => {
    const { seen, host } = get();
    const results = attemptResults(seen.log);
    expect(JUDGED_ATTEMPTS.filter((name) => results.get(name) !== "blocked")).toEqual([]);
    expect(host.botAlive).toBe(true);
    expect(host.written).toEqual([]);
  });

  it("leaves no process behind: setsid, double-forked and daemonized children died with the job", () => {
    expect(get().host.left).toEqual([]);
  });

  it("changes nothing a later job checks out or runs: the mirror has no hook and its config is the bot's, and a new checkout runs nothing", async () => {
    const { attack, host } = get();
    expect(host.mirrorHooks).toEqual([]);
    expect(host.mirrorConfig).not.toMatch(/fsmonitor|hooksPath/);
    const sources = new GitSourceProvider({ root: path.join(attack.bot.dataDir, "sources"), cloneUrl: path.join(attack.lab.originRoot, "{owner}", "{repo}") });
    const later = await sources.checkout({ repo: { owner: OWNER, name: REPO }, sha: attack.lab.head, alsoFetch: [attack.lab.base] });
    await later.release();
    // Even hooks and an fsmonitor planted in the real mirror (the local file's control does) never run.
    expect(filesWithMarker(attack.lab.marker, [attack.bot.dataDir]).filter((f) => /(hook|fsmonitor)-ran-/.test(f))).toEqual([]);
  });

  it("publishes no planted secret: not in the check run, the comment, the stored log, the artifacts or the job store", () => {
    const { attack, seen } = get();
    expect(leaked(attack.lab, seen.github)).toEqual([]);
    expect(leaked(attack.lab, seen.log)).toEqual([]);
    for (const [key, data] of Object.entries(seen.artifacts)) expect(leaked(attack.lab, data), key).toEqual([]);
    expect(leaked(attack.lab, seen.store)).toEqual(["SQLITE_FACT"]); // planted there by the test, and nothing else
    // The variable the job was allowed (pipeline.env) reached it, and was redacted where it printed it.
    expect(seen.log).toMatch(/^S3_PASSWORD=\*\*\*$/m);
  });

  it("reads no output through a link: the linked params file, metrics, plot and plots folder are named as not collected", () => {
    const { attack, seen } = get();
    const final = attack.github.calls.filter((c) => c.method === "PATCH" && (c.body as { conclusion?: string }).conclusion).at(-1)!.body as { output: { summary: string } };
    for (const line of [
      "### Not collected",
      "- `ml/metrics.json` is a link: not collected",
      "- `ml/params.yaml` is a link: not collected",
      "- `ml/plots/fifo` is not a regular file: not collected",
      "- `ml/plots/shadow.csv` is a link: not collected",
      "- `ml/plots/big.bin` is 21000000 bytes, over the limit of 20971520: not collected",
      "- `ml/linked-plots` is a link: not collected",
    ]) {
      expect(final.output.summary).toContain(line);
    }
    expect(Object.keys(seen.artifacts).filter((k) => k.includes("/results/")).map((k) => k.split("/results/")[1])).toEqual(["ml/plots/ok.csv"]);
  });

  return get;
}
