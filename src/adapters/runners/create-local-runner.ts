import { RunnerError } from "../../core/errors.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";
import { LocalProcessRunner } from "./local-process-runner.js";
import { BubblewrapSandbox } from "./sandbox/bubblewrap-sandbox.js";
import { NoSandbox } from "./sandbox/no-sandbox.js";
import { probeBubblewrap } from "./sandbox/probe-bubblewrap.js";
import type { ProcessSandbox } from "./sandbox/process-sandbox.js";

export interface LocalRunnerSetup {
  /** The runner (one that refuses every job, saying why, when no sandbox can be made and none is allowed). */
  readonly runner: JobRunner;
  /** The sandbox in use: bubblewrap, none (allowed explicitly), or unavailable (jobs refused). */
  readonly sandbox: "bubblewrap" | "none" | "unavailable";
  /** What the operator should know at start-up (why jobs are refused, or that they run unsandboxed). */
  readonly message?: string | undefined;
  /** Ends what dead bot processes left of their runs. */
  sweep(): Promise<string[]>;
}

/**
 * The bot's local runner: in a bubblewrap sandbox wherever one can be made. Where it cannot,
 * jobs are refused with a message saying what to install, unless `allowUnsandboxed` (a trusted
 * single-user setup) lets them run as plain processes. A bot running as root runs its sandboxes
 * as `sandboxUid`, never as root.
 */
export function createLocalRunner(params: {
  jobPath: string;
  allowUnsandboxed: boolean;
  sandboxUid: number;
  protect: readonly string[];
  scratchRoot?: string;
  /** Where to look for bwrap (default: PATH). */
  bwrapCandidates?: readonly string[];
}): LocalRunnerSetup {
  const hostUser = process.getuid?.() === 0 ? { uid: params.sandboxUid, gid: params.sandboxUid } : undefined;
  const probe = probeBubblewrap(hostUser, params.bwrapCandidates);
  let sandbox: ProcessSandbox;
  if (probe.ok) {
    sandbox = new BubblewrapSandbox({ bwrap: probe.bwrap, jobPath: params.jobPath, hostUser, protect: params.protect, scratchRoot: params.scratchRoot });
  } else if (params.allowUnsandboxed) {
    sandbox = new NoSandbox({ ...(params.scratchRoot ? { scratchRoot: params.scratchRoot } : {}) });
  } else {
    const refusing = new RefusingRunner(probe.message);
    return { runner: refusing, sandbox: "unavailable", message: probe.message, sweep: () => Promise.resolve([]) };
  }
  const runner = new LocalProcessRunner({ sandbox });
  return {
    runner,
    sandbox: sandbox.kind,
    message: probe.ok ? undefined : `MLOPS_ALLOW_UNSANDBOXED is set and no sandbox can be made, so jobs run as plain processes of the bot's user: only for a trusted single-user setup. (${probe.message})`,
    sweep: () => sandbox.sweep(),
  };
}

/** `runner: local` where no sandbox can be made: every job fails at once, with what to install. */
class RefusingRunner implements JobRunner {
  readonly name = "local";
  constructor(private readonly message: string) {}

  run(request: RunRequest): Promise<RunResult> {
    const error = new RunnerError(this.message).message;
    return new Promise((resolve) =>
      request.log.end(() => resolve({ outcome: "failed", exitCode: null, durationMs: 0, logTail: [error], logBytes: 0, logTruncated: false, error })),
    );
  }
}
