import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarDirectory } from "../../src/adapters/runners/cloud-run-job-runner.js";
import { extractTarball } from "../../src/adapters/files/extract-tarball.js";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { probeBubblewrap } from "../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import { OWNER, REPO } from "../helpers/payloads.js";
import { testServicesEnv } from "../helpers/test-services-env.js";
import { tempDir } from "../helpers/temp-dir.js";
import { filesWithMarker, runControl } from "./attack-control.js";
import { evidence, leaked, markedProcesses, runAttack, type Attack } from "./attack-lab.js";
import { attemptResults, HOST_ATTEMPTS, JUDGED_ATTEMPTS } from "./attack-scripts.js";

const sandboxed = probeBubblewrap(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined).ok;
const dockerSocket = testServicesEnv().MLOPS_TEST_DOCKER_HOST?.replace(/^unix:\/\//, "") ?? "/var/run/docker.sock";

// One attack, shared by every assertion below (it is the slow part); CI requires the sandbox.
describe.runIf(sandboxed || process.env.MLOPS_REQUIRE_DOCKER === "1")("an attacker's PR pipeline on the local runner (bubblewrap sandbox)", () => {
  let attack: Attack;
  let seen: ReturnType<typeof evidence>;
  let host: { left: number[]; written: string[]; mirrorHooks: string[]; mirrorConfig: string; botAlive: boolean };
  let control: Awaited<ReturnType<typeof runControl>>;

  beforeAll(async () => {
    attack = await runAttack({ runner: "local", dockerSocket });
    const { targets, marker } = attack.lab;
    const hooks = path.join(targets.mirror, "hooks");
    host = {
      left: markedProcesses(marker),
      written: filesWithMarker(marker, [targets.dataDir, targets.botDir, path.join(targets.venv, "bin")]),
      mirrorHooks: existsSync(hooks) ? readdirSync(hooks) : [],
      mirrorConfig: readFileSync(path.join(targets.mirror, "config"), "utf8"),
      botAlive: attack.child.exitCode === null,
    };
    seen = evidence(attack);
    control = await runControl(attack.lab);
  }, 400_000);

  afterAll(async () => {
    await attack?.stop();
  });

  it("ran the pipeline to its end and reported it", async () => {
    const job = await attack.bot.engine.store.get(attack.jobId);
    expect(job).toMatchObject({ state: "succeeded", reported: true });
    expect(seen.log).toContain("attack done");
    const results = attemptResults(seen.log);
    expect([...results.keys()].sort()).toEqual([...JUDGED_ATTEMPTS, ...HOST_ATTEMPTS].sort());
  });

  it("fails every attempt to get out: no secret read, nothing written outside, no bot process seen", () => {
    const results = attemptResults(seen.log);
    const escaped = JUDGED_ATTEMPTS.filter((name) => results.get(name) !== "blocked");
    expect(escaped).toEqual([]);
    expect(host.botAlive).toBe(true);
    expect(host.written).toEqual([]);
  });

  it("leaves no process behind: setsid, double-forked and daemonized children died with the job", () => {
    expect(host.left).toEqual([]);
  });

  it("changes nothing a later job checks out or runs: the mirror has no hook and its config is the bot's, and a new checkout runs nothing", async () => {
    expect(host.mirrorHooks).toEqual([]);
    expect(host.mirrorConfig).not.toMatch(/fsmonitor|hooksPath/);
    const sources = new GitSourceProvider({ root: path.join(attack.bot.dataDir, "sources"), cloneUrl: path.join(attack.lab.originRoot, "{owner}", "{repo}") });
    const later = await sources.checkout({ repo: { owner: OWNER, name: REPO }, sha: attack.lab.head, alsoFetch: [attack.lab.base] });
    await later.release();
    // By now the control (below) has planted hooks and an fsmonitor in the real mirror: still nothing ran.
    expect(filesWithMarker(attack.lab.marker, [attack.bot.dataDir]).filter((f) => /(hook|fsmonitor)-ran-/.test(f))).toEqual([]);
  });

  it("publishes no planted secret: not in the check run, the comment, the stored log, the artifacts or the job store", () => {
    expect(leaked(attack.lab, seen.github)).toEqual([]);
    expect(leaked(attack.lab, seen.log)).toEqual([]);
    for (const [key, data] of Object.entries(seen.artifacts)) expect(leaked(attack.lab, data), key).toEqual([]);
    expect(leaked(attack.lab, seen.store)).toEqual(["SQLITE_FACT"]); // planted there by the test, and nothing else
    // The variable the job was allowed (pipeline.env) reached it, and was redacted where it printed it.
    expect(seen.log).toMatch(/^S3_PASSWORD=\*\*\*$/m);
  });

  it("reads no output through a link: the linked params file, metrics, plot and plots folder are named as not collected", () => {
    const final = attack.github.calls.filter((c) => c.method === "PATCH" && (c.body as { conclusion?: string }).conclusion).at(-1)!.body as { output: { summary: string } };
    const summary = final.output.summary;
    expect(summary).toContain("### Not collected");
    for (const line of [
      "- `ml/metrics.json` is a link: not collected",
      "- `ml/params.yaml` is a link: not collected",
      "- `ml/plots/fifo` is not a regular file: not collected",
      "- `ml/plots/shadow.csv` is a link: not collected",
      "- `ml/plots/big.bin` is 21000000 bytes, over the limit of 20971520: not collected",
      "- `ml/linked-plots` is a link: not collected",
    ]) {
      expect(summary).toContain(line);
    }
    expect(Object.keys(seen.artifacts).filter((k) => k.includes("/results/")).map((k) => k.split("/results/")[1])).toEqual(["ml/plots/ok.csv"]);
  });

  it("makes a Cloud Run source tarball of the attacker's checkout whose links out are never unpacked", async () => {
    const sources = new GitSourceProvider({ root: tempDir(), cloneUrl: path.join(attack.lab.originRoot, "{owner}", "{repo}") });
    const checkout = await sources.checkout({ repo: { owner: OWNER, name: REPO }, sha: attack.lab.head });
    try {
      const dest = tempDir();
      const { notes } = await extractTarball(await tarDirectory(checkout.dir), dest, { perFileBytes: 1 << 20, totalBytes: 1 << 24 });
      expect(notes).toEqual([`\`ml/params.yaml\` is a symbolic link (to \`${path.join(attack.lab.botDir, ".env")}\`): not extracted`]);
      expect(existsSync(path.join(dest, "ml", "params.yaml"))).toBe(false);
      expect(readFileSync(path.join(dest, "ml", "attack.sh"), "utf8")).toContain("attempt proc-environ");
    } finally {
      await checkout.release();
    }
  });

  it("(control) escapes when the same pipeline runs unsandboxed: the attacks are real", () => {
    const results = attemptResults(control.log);
    const blocked = JUDGED_ATTEMPTS.filter((name) => results.get(name) !== "ESCAPED");
    // kill-bot is held back in the control (the bot under attack is still needed); the socket is there only with the test services.
    expect(blocked).toEqual(["kill-bot", ...(existsSync(dockerSocket) ? [] : ["docker-socket", "py-socket"])].sort((a, b) => JUDGED_ATTEMPTS.indexOf(a as never) - JUDGED_ATTEMPTS.indexOf(b as never)));
    expect(leaked(attack.lab, control.log).sort()).toEqual(Object.keys(attack.lab.planted).sort());
    // The process group's kill still ends the double-forked child; the two that left it with setsid survive.
    expect(control.leftBehind.length).toBe(2);
    const { dataDir, botDir, mirror } = attack.lab.targets;
    expect(control.written.map((f) => path.relative(attack.lab.dir, f)).sort()).toEqual(
      [path.join(dataDir, `pwned-${attack.lab.marker}`), path.join(botDir, `pwned-${attack.lab.marker}`), path.join(mirror, "objects", `pwned-${attack.lab.marker}`), path.join(attack.lab.dir, "control", "venv", "bin", `pwned-${attack.lab.marker}`)].map((f) => path.relative(attack.lab.dir, f)).sort(),
    );
    expect(control.mirrorHooks.sort()).toEqual(["post-checkout", "post-merge"]);
    expect(control.mirrorConfig).toContain("fsmonitor");
  });
});
