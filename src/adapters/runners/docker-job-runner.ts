import { execFile } from "node:child_process";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import type Docker from "dockerode";
import type { RunnerResources } from "../../core/costs/run-resources.js";
import { createLogSink, type LogSink } from "./create-log-sink.js";
import { joinOutputLines } from "./join-output-lines.js";
import { currentProcess, formatIdentity, isProcessAlive, parseIdentity } from "../process/process-identity.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";

const exec = promisify(execFile);
const JOB_LABEL = "org.mlops-bot.job";
const OWNER_LABEL = "org.mlops-bot.owner";

export interface DockerRunnerOptions {
  /** CPU limit in cores (e.g. 2). */
  readonly cpus: number;
  /** Memory limit in bytes (swap included: no swap beyond it). */
  readonly memoryBytes: number;
  /** Docker network for the job: `none` keeps it offline; `bridge` lets it reach remotes. */
  readonly network: string;
  /** Seconds a stopped container gets between SIGTERM and SIGKILL. */
  readonly stopGraceSeconds?: number;
  /** Processes (and threads) the container may have at once; default 1024. */
  readonly pidsLimit?: number;
  /**
   * The unprivileged user the job runs as: a bot running as root gives it the sandbox uid (the
   * checkout is handed to that user first); otherwise the bot's own uid. Never root.
   */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/**
 * Runs the pipeline command in a container of the job's image: the checkout mounted at
 * /workspace (and the request's mounts at their paths: the mirror's objects read-only, cache
 * layers read-write or read-only as asked), as a non-root user, with no capabilities and
 * no-new-privileges, a read-only root with tmpfs /tmp, /var/tmp and HOME
 * (/home/job), CPU, memory and process limits, an init that reaps and forwards signals, the
 * job's allow-listed environment (minus the host's PATH and HOME, which mean nothing inside),
 * and no network when the request says so. Cancel and timeout stop the container; it is removed
 * on every end, and `sweep` removes those a dead bot process left.
 */
export class DockerJobRunner implements JobRunner {
  readonly name = "docker";
  readonly mountsHostFolders = true;
  readonly resources: RunnerResources;

  constructor(
    private readonly docker: Docker,
    private readonly options: DockerRunnerOptions,
  ) {
    this.resources = { vcpu: options.cpus, memoryGiB: options.memoryBytes / 2 ** 30, gpu: null, basis: "limits" };
  }

  async run(request: RunRequest): Promise<RunResult> {
    try {
      return await this.runContainer(request);
    } finally {
      // Ended and written out before the caller reads it: a file stream still writes after end() returns.
      if (request.log.writable) await new Promise<void>((resolve) => request.log.end(() => resolve()));
    }
  }

  private async runContainer(request: RunRequest): Promise<RunResult> {
    const started = Date.now();
    const sink = createLogSink(request);
    const fail = (error: string): RunResult => {
      sink.finish();
      return { outcome: "failed", exitCode: null, durationMs: Date.now() - started, logTail: [...sink.tail.snapshot(), error], logBytes: sink.bytes, logTruncated: false, error };
    };
    const container = await this.createJobContainer(request);
    if (typeof container === "string") return fail(container);
    let ended: "timed_out" | "cancelled" | undefined;
    const stop = (why: "timed_out" | "cancelled") => {
      if (ended) return;
      ended = why;
      container.stop({ t: this.options.stopGraceSeconds ?? 5 }).catch(() => undefined);
    };
    const timer = setTimeout(() => stop("timed_out"), request.timeoutMs);
    const onAbort = () => stop("cancelled");
    try {
      const exitCode = await this.attachAndWait(container, request, sink, onAbort);
      sink.finish();
      return {
        outcome: ended ?? (exitCode === 0 ? "succeeded" : "failed"),
        exitCode,
        durationMs: Date.now() - started,
        logTail: sink.tail.snapshot(),
        logBytes: sink.bytes,
        logTruncated: sink.truncated,
      };
    } catch (e) {
      return fail(`The container failed: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener("abort", onAbort);
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  /** The job's container, created (not started) from its image, with its folders made its user's; or why it cannot be. */
  private async createJobContainer(request: RunRequest): Promise<Docker.Container | string> {
    if (!request.image) return "The docker runner needs an image: set `pipeline.image`, or `registry` and `images.training` (built by /build), in .github/mlops-bot.yml.";
    try {
      await this.docker.getImage(request.image).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) return `The Docker engine could not be asked about the image ${request.image}: ${(e as Error).message}`;
      return `The image ${request.image} is not on the Docker engine: build it with /build first, or pull it there.`;
    }
    const user = this.user();
    // The job's own folders become its user's (links themselves, never their targets).
    const writable = [request.source.root, ...(request.mounts ?? []).filter((m) => m.writable).map((m) => m.host)];
    if (user.uid !== (process.getuid?.() ?? user.uid)) await exec("chown", ["-R", "-h", "--", `${user.uid}:${user.gid}`, ...writable]);
    try {
      return await this.docker.createContainer(this.containerSpec(request, user));
    } catch (e) {
      return `The container could not be created: ${(e as Error).message}`;
    }
  }

  /**
   * Starts the container with its output into the log sink, and waits for it to exit: its exit
   * code. The attach comes before the start, so nothing the container prints is missed: the
   * engine subscribes the attach to the container's output before it answers the request
   * (moby#30446), which is what `docker run` relies on too.
   */
  private async attachAndWait(container: Docker.Container, request: RunRequest, sink: LogSink, onAbort: () => void): Promise<number> {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    // stdout and stderr arrive multiplexed: split them, then merge them back a whole line at a time.
    const lines = joinOutputLines((chunk) => sink.write(chunk));
    const into = (take: (chunk: Buffer) => void) => new Writable({ write: (chunk: Buffer, _encoding, done) => (take(chunk), done()) });
    this.docker.modem.demuxStream(stream, into(lines.stdout), into(lines.stderr));
    const streamEnded = new Promise<boolean>((resolve) => stream.on("end", () => resolve(true)));
    await container.start();
    if (request.signal.aborted) onAbort();
    request.signal.addEventListener("abort", onAbort, { once: true });
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    // The attach stream ends after the container; wait for its last lines (bounded, in case it never ends).
    const ended = await Promise.race([streamEnded, new Promise<false>((r) => setTimeout(() => r(false), 30_000).unref())]);
    lines.flush();
    if (!ended) sink.write(Buffer.from("\n[mlops-bot: the container's output stream did not end 30 s after it exited; the log may miss its last lines]\n"));
    return StatusCode;
  }

  /** Removes the job containers whose bot process is gone (a kill -9, a crash); returns their ids. */
  async sweep(): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [JOB_LABEL] } });
    const dead = containers.filter((c) => !isProcessAlive(parseIdentity(c.Labels[OWNER_LABEL])));
    for (const c of dead) await this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    return dead.map((c) => c.Id);
  }

  private user(): { uid: number; gid: number } {
    if (this.options.user) return this.options.user;
    const uid = process.getuid?.() ?? 0;
    return uid === 0 ? { uid: 65534, gid: 65534 } : { uid, gid: process.getgid?.() ?? uid };
  }

  private containerSpec(request: RunRequest, user: { uid: number; gid: number }): Docker.ContainerCreateOptions {
    const { PATH: _path, HOME: _home, ...env } = request.env;
    const tmpfs = `rw,nosuid,nodev,uid=${user.uid},gid=${user.gid},mode=0700`;
    return {
      Image: request.image,
      Cmd: [...request.argv],
      Env: Object.entries({ ...env, HOME: "/home/job", TMPDIR: "/tmp" }).map(([k, v]) => `${k}=${v}`),
      WorkingDir: `/workspace/${request.source.workdir}`.replace(/\/\.?$/, ""),
      User: `${user.uid}:${user.gid}`,
      Labels: { [JOB_LABEL]: "true", [OWNER_LABEL]: formatIdentity(currentProcess()) },
      AttachStdout: true,
      AttachStderr: true,
      NetworkDisabled: request.network === false,
      HostConfig: {
        Binds: [`${request.source.root}:/workspace`, ...(request.mounts ?? []).map((m) => `${m.host}:${m.host}:${m.writable ? "rw" : "ro"}`)],
        NanoCpus: Math.round(this.options.cpus * 1e9),
        Memory: this.options.memoryBytes,
        MemorySwap: this.options.memoryBytes,
        PidsLimit: this.options.pidsLimit ?? 1024,
        NetworkMode: request.network === false ? "none" : this.options.network,
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        ReadonlyRootfs: true,
        // Owned by the job's user (Docker copies the image's own /tmp permissions over a plain mode).
        Tmpfs: {
          "/tmp": `${tmpfs},size=${Math.floor(this.options.memoryBytes / 2)}`,
          "/var/tmp": `${tmpfs},size=268435456`,
          "/home/job": `${tmpfs},size=268435456`,
        },
        Init: true,
        IpcMode: "private",
        AutoRemove: false,
      },
    };
  }
}
