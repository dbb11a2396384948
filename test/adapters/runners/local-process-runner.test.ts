import { readFileSync, createWriteStream, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LocalProcessRunner } from "../../../src/adapters/runners/local-process-runner.js";
import { NoSandbox } from "../../../src/adapters/runners/sandbox/no-sandbox.js";
import { knownSecretValues } from "../../../src/adapters/secrets/secret-values.js";
import type { RunRequest } from "../../../src/ports/job-runner.js";
import { tempDir } from "../../helpers/temp-dir.js";

function request(dir: string, overrides: Partial<RunRequest> = {}): RunRequest & { logFile: string } {
  const logFile = path.join(dir, "job.log");
  return {
    argv: ["sh", "-c", "echo hello"],
    source: { root: dir, workdir: "." },
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, TMPDIR: dir },
    timeoutMs: 20_000,
    logLimitBytes: 1_000_000,
    log: createWriteStream(logFile),
    signal: new AbortController().signal,
    logFile,
    ...overrides,
  };
}

const runner = new LocalProcessRunner({ sandbox: new NoSandbox(), killGraceMs: 500 });

describe("LocalProcessRunner without a sandbox", () => {
  it("runs argv in the workdir with exactly the given environment and streams the log", async () => {
    const dir = tempDir();
    process.env.MLOPS_TEST_SECRET = "must-not-leak";
    const chunks: string[] = [];
    const req = request(dir, {
      argv: ["sh", "-c", 'pwd; echo "secret=${MLOPS_TEST_SECRET:-unset} mine=$MINE"'],
      env: { PATH: process.env.PATH!, HOME: dir, TMPDIR: dir, MINE: "yes" },
      onOutput: (t) => chunks.push(t),
    });
    const result = await runner.run(req);
    delete process.env.MLOPS_TEST_SECRET;
    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0, logTruncated: false });
    expect(readFileSync(req.logFile, "utf8")).toBe(`${dir}\nsecret=unset mine=yes\n`);
    expect(chunks.join("")).toBe(`${dir}\nsecret=unset mine=yes\n`);
  });

  it("fails on a non-zero exit and keeps the last lines", async () => {
    const dir = tempDir();
    const result = await runner.run(request(dir, { argv: ["sh", "-c", "for i in $(seq 1 100); do echo line $i; done; echo boom; exit 3"] }));
    expect(result.outcome).toBe("failed");
    expect(result.exitCode).toBe(3);
    expect(result.logTail.at(-1)).toBe("boom");
    expect(result.logTail.at(-2)).toBe("line 100");
    expect(result.logTail.length).toBe(60);
  });

  it("does not cut a stderr line written in two pieces with a stdout line printed between them", async () => {
    const dir = tempDir();
    const script = "printf 'warning: half ' >&2; sleep 0.2; echo out; sleep 0.2; printf 'and half\\n' >&2; printf 'no newline at the end'";
    const req = request(dir, { argv: ["sh", "-c", script] });
    const result = await runner.run(req);
    expect(readFileSync(req.logFile, "utf8")).toBe("out\nwarning: half and half\nno newline at the end");
    expect(result.logTail).toEqual(["out", "warning: half and half", "no newline at the end"]);
  });

  it("captures a job that prints 100 MB on one line: the log is cut at its limit, the tail holds a few KB", async () => {
    const dir = tempDir();
    const req = request(dir, { argv: ["sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo done"], logLimitBytes: 1_000_000 });
    const result = await runner.run(req);
    expect(result).toMatchObject({ outcome: "succeeded", logBytes: 100_000_000 + 6, logTruncated: true });
    expect(readFileSync(req.logFile).length).toBeLessThan(1_000_200);
    expect(result.logTail.at(-1)).toBe("done");
    expect(result.logTail.join("\n").length).toBeLessThan(60 * 2100);
    expect(result.logTail.at(-3)).toMatch(/^x+ \[mlops-bot: line cut, continues\]$/);
  }, 120_000);

  it("does not pass arguments through a shell", async () => {
    const dir = tempDir();
    const req = request(dir, { argv: ["echo", "$(touch pwned); rm -rf x"] });
    const result = await runner.run(req);
    expect(result.outcome).toBe("succeeded");
    expect(readFileSync(req.logFile, "utf8")).toBe("$(touch pwned); rm -rf x\n");
    expect(existsSync(path.join(dir, "pwned"))).toBe(false);
  });

  it("times out and stops the whole process group, grandchildren included", async () => {
    const dir = tempDir();
    const marker = path.join(dir, "still-alive");
    writeFileSync(path.join(dir, "slow.sh"), `sh -c 'sleep 2; touch ${marker}' &\nsleep 30\n`);
    const result = await runner.run(request(dir, { argv: ["sh", "slow.sh"], timeoutMs: 300 }));
    expect(result.outcome).toBe("timed_out");
    await new Promise((r) => setTimeout(r, 2500));
    expect(existsSync(marker)).toBe(false);
  });

  it("stops when cancelled", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await runner.run(request(dir, { argv: ["sleep", "30"], signal: controller.signal }));
    expect(result.outcome).toBe("cancelled");
  });

  it("caps the stored log and says so, while the tail still has the end", async () => {
    const dir = tempDir();
    const req = request(dir, { argv: ["sh", "-c", "for i in $(seq 1 2000); do echo 0123456789; done; echo the-end"], logLimitBytes: 1000 });
    const result = await runner.run(req);
    const log = readFileSync(req.logFile, "utf8");
    expect(result.logTruncated).toBe(true);
    expect(result.logBytes).toBe(2000 * 11 + 8);
    expect(log.length).toBeLessThan(1200);
    expect(log).toContain("[mlops-bot: log limit of 1000 bytes reached; the rest is not kept]");
    expect(result.logTail.at(-1)).toBe("the-end");
  });

  it("reports a command that cannot start as a failure with the reason", async () => {
    const dir = tempDir();
    const result = await runner.run(request(dir, { argv: ["no-such-command-xyz"] }));
    expect(result.outcome).toBe("failed");
    expect(result.error).toMatch(/^could not start `no-such-command-xyz`: spawn no-such-command-xyz ENOENT/);
  });

  it("gives a job without HOME a scratch HOME and TMPDIR of its own, outside any data folder, removed afterwards", async () => {
    const dir = tempDir();
    const req = request(dir, { argv: ["sh", "-c", 'echo "$HOME|$TMPDIR"; touch "$HOME/x"'], env: { PATH: process.env.PATH! } });
    const result = await runner.run(req);
    expect(result.outcome).toBe("succeeded");
    const [home, tmp] = readFileSync(req.logFile, "utf8").trim().split("|");
    expect(home).toMatch(new RegExp(`^${tmpdir()}/mlops-bot-jobs-\\d+/run-[^/]+/home$`));
    expect(tmp).toBe(path.join(path.dirname(home!), "tmp"));
    expect(existsSync(path.dirname(home!))).toBe(false);
  });

  it("redacts every known secret value from the log, the tail and the progress, even one printed in two pieces", async () => {
    knownSecretValues.add("planted-secret-for-the-runner-test");
    const dir = tempDir();
    const chunks: string[] = [];
    const req = request(dir, { argv: ["sh", "-c", "printf 'token: planted-secret-'; sleep 0.2; echo 'for-the-runner-test and more'"], onOutput: (t) => chunks.push(t) });
    const result = await runner.run(req);
    expect(readFileSync(req.logFile, "utf8")).toBe("token: *** and more\n");
    expect(result.logTail).toEqual(["token: *** and more"]);
    expect(chunks.join("")).toBe("token: *** and more\n");
  });
});
