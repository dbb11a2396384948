import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createWriteStream, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLocalRunner } from "../../../src/adapters/runners/create-local-runner.js";
import { LocalProcessRunner } from "../../../src/adapters/runners/local-process-runner.js";
import { BubblewrapSandbox } from "../../../src/adapters/runners/sandbox/bubblewrap-sandbox.js";
import { toolchainBinds } from "../../../src/adapters/runners/sandbox/host-toolchain.js";
import { probeBubblewrap } from "../../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import type { RunRequest } from "../../../src/ports/job-runner.js";
import { JOB_PATH } from "../../helpers/example-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

const hostUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
const probe = probeBubblewrap(hostUser);
const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

function request(dir: string, overrides: Partial<RunRequest> = {}): RunRequest & { logFile: string } {
  const root = path.join(dir, "checkout");
  mkdirSync(root, { recursive: true });
  const logFile = path.join(dir, "job.log");
  return {
    argv: ["sh", "-c", "echo hello"],
    source: { root, workdir: "." },
    env: { PATH: JOB_PATH },
    timeoutMs: 30_000,
    logLimitBytes: 1_000_000,
    log: createWriteStream(logFile),
    signal: new AbortController().signal,
    logFile,
    ...overrides,
  };
}

describe("bubblewrap where it cannot run", () => {
  it("refuses local jobs and says what to install, unless unsandboxed jobs are allowed", async () => {
    const refused = createLocalRunner({ jobPath: JOB_PATH, allowUnsandboxed: false, sandboxUid: 65534, protect: [], bwrapCandidates: ["/nonexistent/bwrap"] });
    expect(refused.sandbox).toBe("unavailable");
    expect(refused.message).toMatch(/bwrap is not installed\. Install bubblewrap \(Debian\/Ubuntu: `apt-get install bubblewrap`/);
    const dir = tempDir();
    const result = await refused.runner.run(request(dir, { argv: ["sh", "-c", `touch ${path.join(dir, "ran")}`] }));
    expect(result).toMatchObject({ outcome: "failed", exitCode: null });
    expect(result.error).toContain("MLOPS_ALLOW_UNSANDBOXED=true");
    expect(existsSync(path.join(dir, "ran"))).toBe(false);

    const allowed = createLocalRunner({ jobPath: JOB_PATH, allowUnsandboxed: true, sandboxUid: 65534, protect: [], bwrapCandidates: ["/nonexistent/bwrap"] });
    expect(allowed.sandbox).toBe("none");
    expect(allowed.message).toMatch(/^MLOPS_ALLOW_UNSANDBOXED is set and no sandbox can be made/);
  });
});

describe.runIf(probe.ok || required)("BubblewrapSandbox", () => {
  const bwrap = probe.ok ? probe.bwrap : "bwrap";
  const runner = new LocalProcessRunner({ sandbox: new BubblewrapSandbox({ bwrap, jobPath: JOB_PATH, hostUser }), killGraceMs: 500 });

  it("shows the job its checkout, a scratch HOME and /tmp, read-only tools, and nothing else", async () => {
    const dir = tempDir();
    const secretFile = path.join(dir, "bot-secret.txt");
    writeFileSync(secretFile, "planted-secret");
    process.env.MLOPS_TEST_BOT_SECRET = "env-secret-value";
    const script = [
      "echo uid=$(id -u) home=$HOME host=$(hostname) pwd=$(pwd)",
      "echo root: $(ls / | tr '\\n' ' ')",
      `for p in /proc/[0-9]*; do readlink $p/exe; done | grep -c -x '${realpathSync(process.execPath)}' || true`,
      `cat ${secretFile} 2>/dev/null || echo no-secret-file`,
      "cat /proc/1/environ | tr '\\0' '\\n' | grep -c MLOPS_TEST_BOT_SECRET || true",
      "echo made > made.txt && echo scratch > $HOME/h && echo t > /tmp/t && echo wrote",
      "touch /usr/x 2>/dev/null || echo usr-ro",
      `touch ${path.join(JOB_PATH.split(":")[0]!, "x")} 2>/dev/null || echo venv-ro`,
      "python -c 'import sklearn, yaml; print(\"python-ok\")'",
    ].join("\n");
    const req = request(dir, { argv: ["sh", "-c", script] });
    const result = await runner.run(req);
    delete process.env.MLOPS_TEST_BOT_SECRET;
    const log = readFileSync(req.logFile, "utf8");
    expect(result.outcome, log).toBe("succeeded");
    expect(log).toContain("uid=1000 home=/home/job host=mlops-job pwd=/workspace\n");
    const tools = new Set(toolchainBinds(JOB_PATH).map((b) => b.at.split("/")[1]));
    const root = /^root: (.*)$/m.exec(log)![1]!.trim().split(" ");
    expect(root.filter((e) => !tools.has(e))).toEqual(["bin", "dev", "etc", "home", "lib", "lib64", "proc", "sbin", "tmp", "usr", "var", "workspace"]);
    expect(log).toContain("0\nno-secret-file\n0\n");
    expect(log).toContain("wrote\nusr-ro\nvenv-ro\npython-ok\n");
    const made = statSync(path.join(req.source.root, "made.txt"));
    if (hostUser) expect(made.uid).toBe(hostUser.uid);
  });

  it("turns the network off when asked", async () => {
    const server = createServer((_req, res) => res.end("reached"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const fetchIt = `python -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:${port}', timeout=5).read().decode())" 2>&1 | tail -1`;
      const on = request(tempDir(), { argv: ["sh", "-c", fetchIt] });
      await runner.run(on);
      expect(readFileSync(on.logFile, "utf8")).toBe("reached\n");
      const off = request(tempDir(), { argv: ["sh", "-c", fetchIt], network: false });
      await runner.run(off);
      expect(readFileSync(off.logFile, "utf8")).toMatch(/Connection refused|Network is unreachable/);
    } finally {
      server.close();
    }
  });

  it("kills everything the job started when it is cancelled, setsid and double-forked children included", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const req = request(dir, {
      argv: ["sh", "-c", "setsid sh -c 'sleep 2; touch escaped-setsid' & (sh -c 'sleep 2; touch escaped-fork' &) ; echo started; sleep 30"],
      signal: controller.signal,
      onOutput: () => controller.abort(),
    });
    const result = await runner.run(req);
    expect(result.outcome).toBe("cancelled");
    await new Promise((r) => setTimeout(r, 3000));
    expect(existsSync(path.join(req.source.root, "escaped-setsid"))).toBe(false);
    expect(existsSync(path.join(req.source.root, "escaped-fork"))).toBe(false);
  });

  it("reports a command that does not exist as a failure", async () => {
    const req = request(tempDir(), { argv: ["no-such-command-xyz"] });
    const result = await runner.run(req);
    expect(result.outcome).toBe("failed");
    expect(readFileSync(req.logFile, "utf8")).toContain("no-such-command-xyz");
  });
});
