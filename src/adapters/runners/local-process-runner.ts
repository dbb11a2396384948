import { spawn } from "node:child_process";
import { totalmem } from "node:os";
import type { RunnerResources } from "../../core/costs/run-resources.js";
import { countUsableCores } from "../../host/count-usable-cores.js";
import { BotError } from "../../core/errors.js";
import { createLogSink } from "./create-log-sink.js";
import { joinOutputLines } from "./join-output-lines.js";
import type { ProcessSandbox } from "./sandbox/process-sandbox.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";

/**
 * The embedded runner: the command runs as a child process of the bot, in the given sandbox
 * (bubblewrap, or none on a trusted single-user setup), with exactly the environment it is given.
 * The launcher gets its own process group; a cancel or timeout ends it, and with it everything
 * the job started (a sandbox's PID namespace dies with its launcher; without one, the group).
 */
export class LocalProcessRunner implements JobRunner {
  readonly name = "local";
  readonly mountsHostFolders = true;
  /** A local job gets no CPU or memory limit: it may use the whole machine (the cores this process may use, all its memory). */
  readonly resources: RunnerResources = { vcpu: countUsableCores(), memoryGiB: totalmem() / 2 ** 30, gpu: null, basis: "host" };

  constructor(private readonly options: { sandbox: ProcessSandbox; killGraceMs?: number }) {}

  get sandbox(): ProcessSandbox {
    return this.options.sandbox;
  }

  async run(request: RunRequest): Promise<RunResult> {
    const started = Date.now();
    let launch;
    try {
      launch = await this.options.sandbox.launch(request);
    } catch (e) {
      const error = e instanceof BotError ? e.message : `could not prepare the job's sandbox: ${(e as Error).message}`;
      await new Promise<void>((resolve) => request.log.end(resolve));
      return { outcome: "failed", exitCode: null, durationMs: Date.now() - started, logTail: [error], logBytes: 0, logTruncated: false, error };
    }
    try {
      return await this.spawnAndWait(request, launch, started);
    } finally {
      await launch.cleanup();
    }
  }

  private spawnAndWait(request: RunRequest, launch: Awaited<ReturnType<ProcessSandbox["launch"]>>, started: number): Promise<RunResult> {
    const sink = createLogSink(request);
    // stdout and stderr come through separate pipes: merged a whole line at a time.
    const lines = joinOutputLines((chunk) => sink.write(chunk));
    return new Promise<RunResult>((resolve) => {
      let ended: RunResult["outcome"] | undefined;
      const child = spawn(launch.command, [...launch.args], {
        cwd: launch.cwd,
        env: { ...launch.env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", lines.stdout);
      child.stderr.on("data", lines.stderr);

      const stop = (why: "timed_out" | "cancelled") => {
        if (ended || child.exitCode !== null) return;
        ended = why;
        killGroup(child.pid, "SIGTERM");
        setTimeout(() => killGroup(child.pid, "SIGKILL"), this.options.killGraceMs ?? 5000).unref();
      };
      const timer = setTimeout(() => stop("timed_out"), request.timeoutMs);
      const onAbort = () => stop("cancelled");
      if (request.signal.aborted) onAbort();
      request.signal.addEventListener("abort", onAbort, { once: true });

      let startError: string | undefined;
      child.on("error", (e) => {
        startError = `could not start \`${request.argv.join(" ")}\`: ${e.message}`;
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        request.signal.removeEventListener("abort", onAbort);
        killGroup(child.pid, "SIGKILL"); // anything the command left behind in its group
        lines.flush();
        sink.finish();
        request.log.end(() =>
          resolve({
            outcome: ended ?? (code === 0 && !startError ? "succeeded" : "failed"),
            exitCode: code,
            durationMs: Date.now() - started,
            logTail: startError ? [...sink.tail.snapshot(), startError] : sink.tail.snapshot(),
            logBytes: sink.bytes,
            logTruncated: sink.truncated,
            error: startError,
          }),
        );
      });
    });
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
