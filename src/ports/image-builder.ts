import type { Writable } from "node:stream";

export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
  /** The registry host, e.g. `europe-docker.pkg.dev` or `127.0.0.1:5000`. */
  readonly serveraddress: string;
}

export interface BuildRequest {
  /** The build context as a tar stream (a `git archive` of the commit, never the bot's disk). */
  readonly context: NodeJS.ReadableStream;
  /** Path of the Dockerfile inside the context. */
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Every tag to give the image; the first is the canonical one. */
  readonly tags: readonly string[];
  /** Where the build output goes while it runs. The builder ends it. */
  readonly log: Writable;
  readonly signal: AbortSignal;
}

export type BuildResult =
  | { readonly ok: true; readonly imageId: string; readonly sizeBytes: number; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly durationMs: number;
      /** The Dockerfile step that failed, e.g. `Step 3/5 : RUN make`. */
      readonly failedStep: string | undefined;
      readonly error: string;
      readonly logTail: readonly string[];
    };

/** Builds images and pushes them to a registry. */
export interface ImageBuilder {
  build(request: BuildRequest): Promise<BuildResult>;
  /** Pushes one tag; returns the manifest digest the registry stored (`sha256:...`). */
  push(params: { tag: string; auth: RegistryAuth | undefined; log: Writable; signal: AbortSignal }): Promise<{ digest: string }>;
}
