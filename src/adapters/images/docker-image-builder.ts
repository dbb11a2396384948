import type Docker from "dockerode";
import type { Writable } from "node:stream";
import { RunnerError } from "../../core/errors.js";
import { LogTail } from "../../core/pipeline/log-tail.js";
import type { BuildRequest, BuildResult, ImageBuilder, RegistryAuth } from "../../ports/image-builder.js";

interface ProgressEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string };
}

/** `ImageBuilder` on a Docker engine through dockerode (the engine's classic build API). */
export class DockerImageBuilder implements ImageBuilder {
  constructor(private readonly docker: Docker) {}

  async build(request: BuildRequest): Promise<BuildResult> {
    const started = Date.now();
    const tail = new LogTail(40);
    let failedStep: string | undefined;
    let lastStep: string | undefined;
    let error: string | undefined;
    let imageId: string | undefined;
    try {
      const stream = await this.docker.buildImage(request.context, {
        t: request.tags[0],
        dockerfile: request.dockerfile,
        buildargs: { ...request.buildArgs },
        labels: { ...request.labels },
        rm: true,
        forcerm: true,
        abortSignal: request.signal,
      } as Docker.ImageBuildOptions);
      await this.follow(stream, request.log, (event) => {
        const text = event.stream ?? (event.status ? `${event.status}${event.progress ? ` ${event.progress}` : ""}\n` : "");
        if (text) {
          tail.push(text);
          const step = /^Step \d+\/\d+ : .*/m.exec(text);
          if (step) lastStep = step[0].trim();
        }
        if (event.aux?.ID) imageId = event.aux.ID;
        if (event.error) {
          error = event.errorDetail?.message ?? event.error;
          failedStep = lastStep;
          tail.push(`${error}\n`);
        }
      });
    } catch (e) {
      error ??= request.signal.aborted ? "The build was cancelled." : (e as Error).message;
      failedStep ??= lastStep;
    } finally {
      request.log.end();
    }
    const durationMs = Date.now() - started;
    if (error || !imageId) {
      return { ok: false, durationMs, failedStep, error: error ?? "The engine finished the build without an image id.", logTail: tail.snapshot() };
    }
    for (const tag of request.tags.slice(1)) {
      const [repo, version] = splitTag(tag);
      await this.docker.getImage(imageId).tag({ repo, tag: version });
    }
    const info = await this.docker.getImage(imageId).inspect();
    return { ok: true, imageId, sizeBytes: info.Size, durationMs };
  }

  async push(params: { tag: string; auth: RegistryAuth | undefined; log: Writable; signal: AbortSignal }): Promise<{ digest: string }> {
    const [repo, version] = splitTag(params.tag);
    const image = this.docker.getImage(`${repo}:${version}`);
    // dockerode 5 returns a promise of the progress stream when no callback is given (its v4 types say void).
    const push = image.push.bind(image) as unknown as (opts: object) => Promise<NodeJS.ReadableStream>;
    const stream = await push({ tag: version, ...(params.auth ? { authconfig: params.auth } : {}), abortSignal: params.signal });
    let digest: string | undefined;
    let error: string | undefined;
    try {
      await this.follow(stream, params.log, (event) => {
        if (event.aux?.Digest) digest = event.aux.Digest;
        if (event.error) error = event.errorDetail?.message ?? event.error;
      });
    } finally {
      params.log.end();
    }
    if (error) throw new RunnerError(`pushing ${params.tag} failed: ${error}`);
    if (!digest) throw new RunnerError(`pushing ${params.tag} finished without a digest from the registry`);
    return { digest };
  }

  private follow(stream: NodeJS.ReadableStream, log: Writable, onEvent: (event: ProgressEvent) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: ProgressEvent) => {
          const line = event.stream ?? (event.status ? `${event.id ? `${event.id}: ` : ""}${event.status}\n` : event.error ? `${event.error}\n` : "");
          if (line) log.write(line);
          onEvent(event);
        },
      );
    });
  }
}

/** `host:5000/name:tag` -> [`host:5000/name`, `tag`]. */
export function splitTag(tag: string): [string, string] {
  const slash = tag.lastIndexOf("/");
  const colon = tag.lastIndexOf(":");
  return colon > slash ? [tag.slice(0, colon), tag.slice(colon + 1)] : [tag, "latest"];
}
