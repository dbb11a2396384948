import { spawn } from "node:child_process";
import path from "node:path";
import { createLogSink } from "./create-log-sink.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";

/**
 * The embedded runner: the command runs as a child process (its own process group, so a cancel
 * or timeout stops everything it started) with exactly the environment it is given.
 */
export class LocalProcessRunner implements JobRunner {
  readonly name = "local";

  constructor(private readonly options: { killGraceMs?: number } = {}) {}

  run(request: RunRequest): Promise<RunResult> {
    const started = Date.now();
    const sink = createLogSink(request);
    const write = (chunk: Buffer) => sink.write(chunk);

    return new Promise<RunResult>((resolve) => {
      let ended: RunResult["outcome"] | undefined;
      const [command, ...args] = request.argv;
      const child = spawn(command ?? "", args, {
        cwd: path.join(request.source.root, request.source.workdir),
        env: { ...request.env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", write);
      child.stderr.on("data", write);

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
