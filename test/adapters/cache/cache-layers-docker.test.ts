import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SharedDvcCache } from "../../../src/adapters/cache/shared-dvc-cache.js";
import { DockerJobRunner } from "../../../src/adapters/runners/docker-job-runner.js";
import { configureDvcCache } from "../../../src/adapters/cache/configure-dvc-cache.js";
import { dockerServices } from "../../helpers/docker-services.js";
import { tempDir } from "../../helpers/temp-dir.js";

const services = dockerServices();

// The Docker runner mounts a pull request's cache layers as the sandbox does: its own read-write,
// the default branch's read-only. (The image here has no DVC: the job is the attacker's shell.)
describe.runIf(services)("the shared DVC cache's layers in a Docker job", () => {
  it("a pull request's container can write its own layer and not the default branch's", async () => {
    const { docker, baseImage } = services!;
    const runner = new DockerJobRunner(docker, { cpus: 1, memoryBytes: 256 * 1024 * 1024, network: "none", stopGraceSeconds: 1 });
    const dir = tempDir();
    const cache = new SharedDvcCache({ config: { dir: path.join(dir, "cache"), maxBytes: 1024 ** 3, maxAgeMs: 86_400_000 } });
    const main = await cache.acquire({ owner: "octo", name: "ml" }, { kind: "default" });
    mkdirSync(path.join(main.own, "runs", "ab"), { recursive: true });
    writeFileSync(path.join(main.own, "runs", "ab", "entry"), "outs: good\n");
    await main.release();

    const lease = await cache.acquire({ owner: "octo", name: "ml" }, { kind: "pull-request", number: 5 });
    const root = path.join(dir, "checkout");
    mkdirSync(path.join(root, "ml", ".dvc"), { recursive: true });
    const setup = await configureDvcCache({ root, workdir: "ml", argv: ["dvc", "repro"], layers: lease });
    if (!setup.ok) throw new Error(setup.why);
    const base = lease.base!;
    // The attempts' outcomes go to a file in the job's own layer (what this test is about), and through it to the log.
    // (The log once seemed to lose the first: sh's error, written in pieces, had it land inside its line; the runner
    // now merges stdout and stderr a whole line at a time.)
    const out = `${lease.own}/attempts.txt`;
    const script = [
      `(echo evil > ${base}/runs/ab/entry) 2>/dev/null && echo "BASE-WRITE ok: overwrite" >> ${out} || echo "BASE-WRITE denied: overwrite" >> ${out}`,
      `touch ${base}/planted 2>/dev/null && echo "BASE-WRITE ok: new file" >> ${out} || echo "BASE-WRITE denied: new file" >> ${out}`,
      `rm -rf ${base}/runs 2>/dev/null; [ -d ${base}/runs ] && echo "BASE-WRITE denied: delete" >> ${out} || echo "BASE-WRITE ok: delete" >> ${out}`,
      `cat ${base}/runs/ab/entry >> ${out}`,
      `mkdir -p ${lease.own}/runs/ab && echo mine > ${lease.own}/runs/ab/entry && echo OWN-WRITE ok >> ${out}`,
      `cat ${out}`,
    ].join("\n");
    const logFile = path.join(dir, "job.log");
    const result = await runner.run({
      argv: ["sh", "-c", script],
      source: { root, workdir: "ml" },
      env: {},
      timeoutMs: 60_000,
      logLimitBytes: 100_000,
      log: createWriteStream(logFile),
      signal: new AbortController().signal,
      image: baseImage,
      mounts: setup.mounts,
    });
    await lease.release();
    const log = readFileSync(logFile, "utf8");
    expect(result.outcome, log).toBe("succeeded");
    const attempts = readFileSync(path.join(lease.own, "attempts.txt"), "utf8");
    expect(attempts.split("\n").filter((l) => l.startsWith("BASE-WRITE")).sort(), log).toEqual(["BASE-WRITE denied: delete", "BASE-WRITE denied: new file", "BASE-WRITE denied: overwrite"]);
    expect(attempts).toContain("outs: good\nOWN-WRITE ok");
    expect(log).toContain(attempts);
    expect(readFileSync(path.join(base, "runs", "ab", "entry"), "utf8")).toBe("outs: good\n");
    expect(readdirSync(base)).toEqual(["runs"]);
    expect(existsSync(path.join(lease.own, "runs", "ab", "entry"))).toBe(true);
  }, 120_000);
});
