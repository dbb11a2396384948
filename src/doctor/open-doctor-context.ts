import Docker from "dockerode";
import { createJobStore } from "../adapters/stores/create-job-store.js";
import { openArtifactStore } from "../adapters/stores/open-artifact-store.js";
import { loadDoctorConfig, type DoctorConfig } from "../config/doctor-config.js";
import { loadServerConfig, type ServerConfig } from "../config/server-config.js";
import { BotError } from "../core/errors.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobStore } from "../ports/job-store.js";
import { createDoctorContext, type DoctorContext, type GitHubAccess, type RepoRef } from "./doctor-context.js";
import type { GoogleApi } from "./google-api.js";

/**
 * The doctor's context from a bot environment: its settings loaded (a bad one is reported by the
 * server settings check, never thrown), the stores made on first use from those settings unless
 * the caller passes its own (the bot passes its open ones), and `close` for what it made.
 */
export function openDoctorContext(params: {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  repo: RepoRef | undefined;
  github: GitHubAccess | undefined;
  google: GoogleApi;
  cloudRunClientOptions?: Record<string, unknown> | undefined;
  bwrapCandidates?: readonly string[] | undefined;
  jobStore?: JobStore;
  artifacts?: ArtifactStore;
}): { ctx: DoctorContext; close: () => Promise<void> } {
  const errors: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof BotError)) throw e;
      errors.push(e.message);
      return undefined;
    }
  };
  const server: ServerConfig | undefined = attempt(() => loadServerConfig(params.env, params.cwd));
  const doctor: DoctorConfig | undefined = attempt(() => loadDoctorConfig(params.env));
  let madeStore: JobStore | undefined;
  const jobStore = params.jobStore ? () => params.jobStore! : server ? () => (madeStore ??= createJobStore(server)) : undefined;
  const artifacts = params.artifacts ?? (server ? artifactStoreOf(server) : undefined);
  const ctx = createDoctorContext({
    env: params.env,
    server,
    doctor,
    settingsError: errors.length ? errors.join("\n") : undefined,
    repo: params.repo,
    github: params.github,
    google: params.google,
    docker: server?.docker ? new Docker({ socketPath: server.docker.socketPath }) : undefined,
    cloudRunClientOptions: params.cloudRunClientOptions,
    bwrapCandidates: params.bwrapCandidates,
    jobStore,
    artifacts: artifacts ? () => artifacts : undefined,
  });
  return { ctx, close: async () => void (await madeStore?.close()) };
}

function artifactStoreOf(server: ServerConfig): ArtifactStore {
  return openArtifactStore(server.artifacts, { gcsEndpoint: server.gcsEndpoint });
}
