import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerJobRunner } from "../../../src/adapters/runners/docker-job-runner.js";
import { dockerServices } from "../../helpers/docker-services.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { withoutHttpInterception } from "../../helpers/without-http-interception.js";

const services = dockerServices();
withoutHttpInterception(); // only the Docker engine is reached here

// What a job prints: its first line at once, and a stderr line in two writes with a stdout line
// written between them (as busybox sh writes its own errors, the last one here; the pauses make
// the engine pass the pieces on in that order, which used to cut the stderr line in two).
const SCRIPT = [
  "echo first",
  "printf 'warning: half ' >&2; sleep 0.2; echo second; sleep 0.2; printf 'and half\\n' >&2",
  "echo third",
  "true > /not-writable",
  "echo fourth; echo fifth",
].join("; ");
const STDOUT = ["first", "second", "third", "fourth", "fifth"];
const RUNS = 30;
const AT_ONCE = 5;

// The log of a Docker job is whole under CPU load: every line the container printed (its very
// first one included), each stream's lines in order and none cut by the other stream's.
describe.runIf(services)("DockerJobRunner's log under load", () => {
  const { docker, baseImage } = services!;
  const runner = new DockerJobRunner(docker, { cpus: 1, memoryBytes: 128 * 1024 * 1024, network: "none", stopGraceSeconds: 1 });
  const busy: ChildProcess[] = [];

  beforeAll(() => {
    // One busy process per core, so the engine's copying and this process's reading are late.
    for (let i = 0; i < availableParallelism(); i++) busy.push(spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" }));
  });
  afterAll(() => {
    for (const child of busy) child.kill("SIGKILL");
  });

  async function runOne(i: number): Promise<{ log: string; outcome: string }> {
    const root = tempDir();
    const logFile = path.join(root, "..", `${path.basename(root)}-${i}.log`);
    const log = createWriteStream(logFile);
    const closed = new Promise<void>((resolve) => log.on("close", () => resolve()));
    const result = await runner.run({
      argv: ["sh", "-c", SCRIPT],
      source: { root, workdir: "." },
      env: {},
      timeoutMs: 120_000,
      logLimitBytes: 1_000_000,
      log,
      signal: new AbortController().signal,
      image: baseImage,
      network: false,
    });
    await closed;
    return { log: readFileSync(logFile, "utf8"), outcome: result.outcome };
  }

  it(`keeps every line of ${RUNS} containers (${AT_ONCE} at a time) whole and in order`, { timeout: 300_000 }, async () => {
    const logs: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < RUNS) {
          const i = next++;
          const { log, outcome } = await runOne(i);
          expect(outcome, log).toBe("succeeded");
          logs.push(log);
        }
      }),
    );
    expect(logs).toHaveLength(RUNS);
    for (const log of logs) {
      const lines = log.split("\n");
      expect(lines.pop(), log).toBe("");
      expect(lines.filter((l) => STDOUT.includes(l)), log).toEqual(STDOUT);
      const stderr = lines.filter((l) => !STDOUT.includes(l));
      expect(stderr, log).toHaveLength(2);
      expect(stderr[0], log).toBe("warning: half and half");
      expect(stderr[1], log).toMatch(/^sh: (line \d+: )?can't create \/not-writable: /);
    }
  });
});
