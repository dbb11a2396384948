import { chmodSync, createWriteStream, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { currentProcess, formatIdentity } from "../../../src/adapters/process/process-identity.js";
import { DockerJobRunner } from "../../../src/adapters/runners/docker-job-runner.js";
import type { RunRequest } from "../../../src/ports/job-runner.js";
import { dockerServices } from "../../helpers/docker-services.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { withoutHttpInterception } from "../../helpers/without-http-interception.js";

const services = dockerServices();
withoutHttpInterception(); // only the Docker engine is reached here

// Runs where scripts/start-test-services.sh could start a Docker engine (npm test does; CI requires it).
describe.runIf(services)("DockerJobRunner on a real engine", () => {
  const { docker, baseImage } = services!;
  const runner = new DockerJobRunner(docker, { cpus: 1, memoryBytes: 256 * 1024 * 1024, network: "none", stopGraceSeconds: 1 });

  function request(overrides: Partial<RunRequest> = {}): RunRequest & { logFile: string; root: string } {
    const root = tempDir();
    const logFile = path.join(root, "..", `${path.basename(root)}.log`);
    return {
      argv: ["sh", "-c", "echo hello"],
      source: { root, workdir: "." },
      env: { PATH: "/host/only/path", HOME: "/host/home", MINE: "yes" },
      timeoutMs: 30_000,
      logLimitBytes: 1_000_000,
      log: createWriteStream(logFile),
      signal: new AbortController().signal,
      image: baseImage,
      logFile,
      root,
      ...overrides,
    };
  }

  const owner = `org.mlops-bot.owner=${formatIdentity(currentProcess())}`;
  /** This process's job containers still on the (shared) engine. */
  async function leftovers(): Promise<number> {
    return (await docker.listContainers({ all: true, filters: { label: ["org.mlops-bot.job=true", owner] } })).length;
  }
  const jobUid = process.getuid!() === 0 ? 65534 : process.getuid!();

  it("runs in the workdir of the mounted checkout and its outputs come back to the host", async () => {
    const req = request();
    writeFileSync(path.join(req.root, "train.sh"), 'echo "training in $(pwd) as $(id -u) MINE=$MINE HOME=$HOME"\necho \'{"accuracy": 0.91}\' > metrics.json\necho oops >&2\n');
    const result = await runner.run({ ...req, argv: ["sh", "train.sh"] });
    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    expect(JSON.parse(readFileSync(path.join(req.root, "metrics.json"), "utf8"))).toEqual({ accuracy: 0.91 });
    // stdout and stderr come through separate pipes: their relative order is not defined.
    expect(readFileSync(req.logFile, "utf8").split("\n").sort()).toEqual(["", "oops", `training in /workspace as ${jobUid} MINE=yes HOME=/home/job`]);
    expect(await leftovers()).toBe(0);
  });

  it("fails with the exit code and the last lines", async () => {
    const result = await runner.run(request({ argv: ["sh", "-c", "echo step one; echo broken >&2; exit 4"] }));
    expect(result).toMatchObject({ outcome: "failed", exitCode: 4 });
    expect([...result.logTail.slice(-2)].sort()).toEqual(["broken", "step one"]); // stdout and stderr: any order
    expect(await leftovers()).toBe(0);
  });

  it("stops the container on timeout and on cancel, and removes it", async () => {
    const timedOut = await runner.run(request({ argv: ["sleep", "60"], timeoutMs: 500 }));
    expect(timedOut.outcome).toBe("timed_out");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const cancelled = await runner.run(request({ argv: ["sleep", "60"], signal: controller.signal }));
    expect(cancelled.outcome).toBe("cancelled");
    expect(await leftovers()).toBe(0);
  });

  it("returns only once the log is written out, whether the job ran or not (a log slow to finish, as a file or an upload is)", async () => {
    for (const overrides of [{}, { image: "mlops-test/not-built:1" }]) {
      const written: string[] = [];
      let finished = false;
      const log = new Writable({
        write: (chunk: Buffer, _encoding, done) => (written.push(chunk.toString()), done()),
        final: (done) => setTimeout(() => ((finished = true), done()), 200),
      });
      await runner.run({ ...request(overrides), argv: ["sh", "-c", "echo last words"], log });
      expect(finished).toBe(true);
      if (!overrides.image) expect(written.join("")).toBe("last words\n");
    }
  });

  it("explains a missing image instead of failing obscurely", async () => {
    const result = await runner.run(request({ image: "mlops-test/not-built:1" }));
    expect(result.outcome).toBe("failed");
    expect(result.error).toBe("The image mlops-test/not-built:1 is not on the Docker engine: build it with /build first, or pull it there.");
  });

  it("runs as a non-root user with no capabilities, no new privileges, a read-only root, tmpfs scratch, limits and only the job's variables", async () => {
    const req = request({ network: false, mounts: [{ host: tempDir(), writable: false }] });
    const shared = req.mounts![0]!.host;
    chmodSync(shared, 0o755); // like the mirror's objects: readable by the job's user
    writeFileSync(path.join(shared, "objects.txt"), "read-only objects");
    const script = [
      "id -u",
      "grep -E '^(CapEff|CapPrm|NoNewPrivs):' /proc/self/status",
      "touch /etc/x 2>/dev/null || echo root-ro",
      `(echo x > ${shared}/w) 2>/dev/null || echo mount-ro; cat ${shared}/objects.txt; echo`,
      "echo t > /tmp/t && echo h > $HOME/h && echo scratch-rw",
      "cat /sys/fs/cgroup/pids.max 2>/dev/null || echo no-cgroup",
      "ls /sys/class/net | tr '\\n' ' '; echo",
      "env | sort | grep -v -e '^HOSTNAME=' -e '^PWD=' -e '^SHLVL=' -e '^_='",
    ].join("\n");
    const result = await runner.run({ ...req, argv: ["sh", "-c", script], env: { PATH: "/host/only", HOME: "/host/home", MINE: "yes" } });
    expect(result.outcome, `${result.error ?? ""}\n${readFileSync(req.logFile, "utf8")}`).toBe("succeeded");
    const log = readFileSync(req.logFile, "utf8");
    expect(log).toContain(`${jobUid}\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\nroot-ro\nmount-ro\nread-only objects\nscratch-rw\n`);
    expect(log).toMatch(/\n(1024|no-cgroup)\n/);
    expect(log).toContain("\nlo \n");
    expect(log).toContain("HOME=/home/job\nMINE=yes\nPATH=/bin\nTMPDIR=/tmp\n");
    expect(await leftovers()).toBe(0);
  });

  it("sweeps the job containers of a dead bot process, and only those", async () => {
    const dead = formatIdentity({ ...currentProcess(), start: "0" });
    const make = (who: string) => docker.createContainer({ Image: baseImage, Cmd: ["sleep", "60"], Labels: { "org.mlops-bot.job": "true", "org.mlops-bot.owner": who } });
    const orphan = await make(dead);
    const mine = await make(formatIdentity(currentProcess()));
    try {
      const swept = await runner.sweep();
      expect(swept).toContain(orphan.id);
      expect(swept).not.toContain(mine.id);
      await expect(orphan.inspect()).rejects.toThrow();
    } finally {
      await mine.remove({ force: true });
    }
  });
});
