import type { RunRequest } from "../../../ports/job-runner.js";

/** How a local job's process is started: what to exec, as whom, and what to clean up after. */
export interface ProcessLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** The launcher's complete environment (the job's, with the sandbox's HOME and TMPDIR). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Removes the launch's scratch folders. */
  cleanup(): Promise<void>;
}

/** Where a local job runs: in a sandbox (bubblewrap), or, on a trusted single-user setup, as a plain process. */
export interface ProcessSandbox {
  /** `bubblewrap`, or `none` for an unsandboxed process. */
  readonly kind: "bubblewrap" | "none";
  launch(request: RunRequest): Promise<ProcessLaunch>;
  /** Ends what dead bot processes left of their launches (scratch folders and the processes using them). */
  sweep(): Promise<string[]>;
}
