import type { Writable } from "node:stream";
import type { RunnerResources } from "../core/costs/run-resources.js";
import type { RemoteCacheLayer } from "../core/dvc/plan-remote-dvc-cache.js";

/** A folder of the bot's host that a job sees besides its checkout (at the same path). */
export interface JobMount {
  readonly host: string;
  readonly writable: boolean;
}

export interface RunRequest {
  /** The command as argv (never a shell string). */
  readonly argv: readonly string[];
  /** The checkout: its root, and the folder inside it where the command runs. */
  readonly source: { readonly root: string; readonly workdir: string };
  /**
   * The complete environment of the job (already allow-listed: nothing else is passed). A runner
   * may set HOME and TMPDIR to its own scratch folders.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Bytes of log kept in `log`; the rest is counted and dropped (the tail is still kept). */
  readonly logLimitBytes: number;
  /** Where the combined stdout/stderr goes while the job runs. The runner ends it. */
  readonly log: Writable;
  /** Called with each chunk of output (for progress). */
  readonly onOutput?: (text: string) => void;
  /** Aborting stops the job (cancel, supersede, shutdown). */
  readonly signal: AbortSignal;
  /**
   * Folders outside the checkout the job needs (the mirror's objects, read-only), shown at the
   * same path by the runners that isolate the job's files; more can be added (a shared cache).
   */
  readonly mounts?: readonly JobMount[];
  /** Whether the job may reach the network (default true: pipelines pull data). */
  readonly network?: boolean;
  /** Container image, for runners that need one. */
  readonly image?: string | undefined;
  /**
   * Paths (relative to the workdir; a folder ends in `/`) the run produces that must be back on
   * the bot's host afterwards. Local runners write them in the checkout; remote ones download them
   * into `outputDir` and say so in `RunResult.outputRoot`.
   */
  readonly collect?: readonly string[];
  /** An empty folder the caller owns, where a remote runner puts what it brings back (`collect`). */
  readonly outputDir?: string | undefined;
  /** A remote runner's handle of a run already started (after a bot restart): follow it instead. */
  readonly resume?: string | undefined;
  /**
   * The repository and the cache layer this job may write, for a runner with a remote DVC cache
   * (Cloud Run): it restores from the default branch's layer and stores the run-cache in this one.
   */
  readonly remoteCache?: { readonly repo: { readonly owner: string; readonly name: string }; readonly layer: RemoteCacheLayer } | undefined;
  /** Called once a remote run has a handle (e.g. a Cloud Run execution name), to be stored. */
  readonly onHandle?: ((handle: string) => Promise<void>) | undefined;
}

export interface RunResult {
  readonly outcome: "succeeded" | "failed" | "timed_out" | "cancelled";
  readonly exitCode: number | null;
  readonly durationMs: number;
  /** The last lines of output (for failure reports), whatever the log limit. */
  readonly logTail: readonly string[];
  readonly logBytes: number;
  readonly logTruncated: boolean;
  /** Why it failed to start or run, when that is not the command's own doing. */
  readonly error?: string | undefined;
  /** Where the `collect` paths are, when not in the checkout's workdir (a remote run's downloads, in `outputDir`). */
  readonly outputRoot?: string | undefined;
  /** What this run was given, when only the run knows it (a Cloud Run task's resources); else the runner's `resources`. */
  readonly resources?: RunnerResources | undefined;
}

/** Runs one pipeline command somewhere (a local process, a container, a Cloud Run job). */
export interface JobRunner {
  readonly name: string;
  /** Whether `mounts` reach the job (a process or container on the bot's host; a remote runner cannot show host folders). */
  readonly mountsHostFolders?: boolean;
  /** The vCPUs, memory and GPUs every run gets here (for its cost estimate), when the runner knows them up front. */
  readonly resources?: RunnerResources;
  run(request: RunRequest): Promise<RunResult>;
}
