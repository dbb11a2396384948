import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { createLogSink } from "./create-log-sink.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";

export interface DockerRunnerOptions {
  /** CPU limit in cores (e.g. 2). */
  readonly cpus: number;
  /** Memory limit in bytes. */
  readonly memoryBytes: number;
  /** Docker network for the job: `none` keeps it offline; `bridge` lets it reach remotes. */
  readonly network: string;
  /** Seconds a stopped container gets between SIGTERM and SIGKILL. */
  readonly stopGraceSeconds?: number;
}

/**
 * Runs the pipeline command in a container of the job's image, with the checkout mounted at
 * /workspace, CPU and memory limits, the job's allow-listed environment (minus the host's PATH
 * and HOME, which mean nothing inside), as the bot's own uid so the checkout stays removable.
 * Cancel and timeout stop the container; the container is always removed.
 */
export class DockerJobRunner implements JobRunner {
  readonly name = "docker";

  constructor(
    private readonly docker: Docker,
    private readonly options: DockerRunnerOptions,
  ) {}

  async run(request: RunRequest): Promise<RunResult> {
    const started = Date.now();
    const sink = createLogSink(request);
    const fail = (error: string): RunResult => {
      request.log.end();
      return { outcome: "failed", exitCode: null, durationMs: Date.now() - started, logTail: [...sink.tail.snapshot(), error], logBytes: sink.bytes, logTruncated: false, error };
    };
    if (!request.image) return fail("The docker runner needs an image: set `pipeline.image`, or `registry` and `images.training` (built by /build), in .github/mlops-bot.yml.");
    try {
      await this.docker.getImage(request.image).inspect();
    } catch {
      return fail(`The image ${request.image} is not on the Docker engine: build it with /build first, or pull it there.`);
    }

    const { PATH: _path, HOME: _home, ...env } = request.env;
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const container = await this.docker.createContainer({
      Image: request.image,
      Cmd: [...request.argv],
      Env: Object.entries({ ...env, HOME: "/tmp" }).map(([k, v]) => `${k}=${v}`),
      WorkingDir: `/workspace/${request.source.workdir}`.replace(/\/\.?$/, ""),
      User: `${uid}:${gid}`,
      Labels: { "org.mlops-bot.job": "true" },
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        Binds: [`${request.source.root}:/workspace`],
        NanoCpus: Math.round(this.options.cpus * 1e9),
        Memory: this.options.memoryBytes,
        NetworkMode: this.options.network,
        AutoRemove: false,
      },
    });

    let ended: "timed_out" | "cancelled" | undefined;
    const stop = (why: "timed_out" | "cancelled") => {
      if (ended) return;
      ended = why;
      container.stop({ t: this.options.stopGraceSeconds ?? 5 }).catch(() => undefined);
    };
    const timer = setTimeout(() => stop("timed_out"), request.timeoutMs);
    const onAbort = () => stop("cancelled");
    try {
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const output = new PassThrough();
      output.on("data", (chunk: Buffer) => sink.write(chunk));
      // stdout and stderr arrive multiplexed: split them into one ordered log.
      this.docker.modem.demuxStream(stream, output, output);
      const streamEnded = new Promise<void>((resolve) => stream.on("end", resolve));
      await container.start();
      if (request.signal.aborted) onAbort();
      request.signal.addEventListener("abort", onAbort, { once: true });
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      // The attach stream ends after the container; wait for its last lines (bounded, in case it never ends).
      await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 10_000).unref())]);
      return {
        outcome: ended ?? (StatusCode === 0 ? "succeeded" : "failed"),
        exitCode: StatusCode,
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
      if (request.log.writable) request.log.end();
    }
  }
}
