import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JobsClient, type protos } from "@google-cloud/run";
import type Docker from "dockerode";
import { GitHubCodeHost, type Octokit } from "../adapters/github/github-code-host.js";
import type { DoctorConfig } from "../config/doctor-config.js";
import { parseRepoConfig } from "../config/parse-repo-config.js";
import { REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config-schema.js";
import type { ServerConfig } from "../config/server-config.js";
import { parseAppManifest, type AppRequirements } from "../core/doctor/app-manifest.js";
import type { Problem } from "../core/problem.js";
import type { Result } from "../core/result.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobStore } from "../ports/job-store.js";
import type { GoogleApi } from "./google-api.js";

/** The App's credentials at work: as the App (a JWT), and as one of its installations. */
export interface GitHubAccess {
  app(): Promise<Octokit>;
  installation(id: number): Promise<Octokit>;
}

/** `GET /app`: what GitHub says the App is allowed and subscribed to. */
export interface AppInfo {
  readonly slug: string;
  readonly htmlUrl: string;
  readonly owner: { readonly login: string; readonly type: string };
  readonly permissions: Readonly<Record<string, string | undefined>>;
  readonly events: readonly string[];
}

/** `GET /repos/{owner}/{repo}/installation`. */
export interface InstallationInfo {
  readonly id: number;
  readonly account: string;
  /** Where its owner configures it (accepts new permissions, unsuspends it). */
  readonly htmlUrl: string;
  readonly repositorySelection: string;
  readonly permissions: Readonly<Record<string, string | undefined>>;
  readonly events: readonly string[];
  readonly suspended: boolean;
}

export interface RepoRef {
  readonly owner: string;
  readonly name: string;
}

/**
 * What every check may use: the bot's settings as loaded (or why they did not load), the App's
 * credentials, Google credentials, the stores, the Docker engine; and the lookups several checks
 * share (the App, the repository's installation and config), each made once.
 */
export interface DoctorContext {
  readonly env: NodeJS.ProcessEnv;
  /** The bot's settings; undefined when they do not load (`settingsError` says why). */
  readonly server: ServerConfig | undefined;
  readonly doctor: DoctorConfig | undefined;
  readonly settingsError: string | undefined;
  /** The repository whose config, installation, DVC remote and registry are checked; undefined checks the bot alone. */
  readonly repo: RepoRef | undefined;
  /** Undefined without the App's credentials (APP_ID, PRIVATE_KEY). */
  readonly github: GitHubAccess | undefined;
  readonly google: GoogleApi;
  readonly docker: Docker | undefined;
  /** Where to look for bwrap (tests); default the PATH. */
  readonly bwrapCandidates?: readonly string[] | undefined;
  /** Cloud Run client options (tests: a static token); default ADC over REST. */
  readonly cloudRunClientOptions: Record<string, unknown> | undefined;
  /** The bot's job store and artifact store (the bot's own, or made from the settings by the caller). */
  readonly jobStore: (() => JobStore) | undefined;
  readonly artifacts: (() => ArtifactStore) | undefined;
  /** What `app.yml` asks for. */
  readonly manifest: Result<AppRequirements, Problem[]>;
  readonly facts: DoctorFacts;
}

export interface DoctorFacts {
  app(): Promise<AppInfo>;
  /** The repository's installation; undefined when the App is not installed on it. */
  installation(): Promise<InstallationInfo | undefined>;
  /** A file of the repository's default branch; undefined when absent. */
  defaultBranchFile(file: string): Promise<string | undefined>;
  /** The repository config of the default branch; undefined without a repository or an installation. */
  repoConfig(): Promise<Result<RepoConfig, Problem[]> | undefined>;
  /** The training Cloud Run job (MLOPS_CLOUD_RUN_JOB); undefined when none is configured. Throws the API's error. */
  cloudRunJob(): Promise<protos.google.cloud.run.v2.IJob | undefined>;
}

type ContextParams = Omit<DoctorContext, "facts" | "manifest"> & { readonly manifestText?: string };

/** The context with its shared lookups memoized: one `GET /app`, one installation lookup, one config read per run. */
export function createDoctorContext(params: ContextParams): DoctorContext {
  const once = <T>(fn: () => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= fn());
  };
  const github = () => {
    if (!params.github) throw new Error("the App's credentials (APP_ID, PRIVATE_KEY) are not set");
    return params.github;
  };
  const app = once(() => fetchApp(github()));
  const installation = once(() => (params.repo ? fetchInstallation(github(), params.repo) : Promise.resolve(undefined)));
  const host = once(async () => {
    const found = await installation();
    if (!found || !params.repo) return undefined;
    const octokit = await github().installation(found.id);
    return new GitHubCodeHost(octokit, params.repo.owner, params.repo.name, async () => `${(await app()).slug}[bot]`);
  });
  const files = new Map<string, Promise<string | undefined>>();
  const defaultBranchFile = (file: string) => {
    let text = files.get(file);
    if (!text) {
      text = host().then((h) => h?.readDefaultBranchFile(file));
      files.set(file, text);
    }
    return text;
  };
  const repoConfig = once(async () => {
    if (!(await host())) return undefined;
    return parseRepoConfig(await defaultBranchFile(REPO_CONFIG_PATH));
  });
  const cloudRunJob = once(() => fetchCloudRunJob(params.server?.cloudRunJob, params.cloudRunClientOptions));
  return {
    ...params,
    manifest: parseAppManifest(params.manifestText ?? readAppManifest(), "app.yml"),
    facts: { app, installation, defaultBranchFile, repoConfig, cloudRunJob },
  };
}

/** The App as GitHub describes it (`GET /app`, as the App). */
async function fetchApp(github: GitHubAccess): Promise<AppInfo> {
  const { data } = await (await github.app()).request("GET /app");
  if (!data) throw new Error("GET /app answered nothing");
  const owner = (data.owner ?? {}) as { login?: string; type?: string };
  return {
    slug: data.slug ?? String(data.id),
    htmlUrl: data.html_url,
    owner: { login: owner.login ?? "", type: owner.type ?? "User" },
    permissions: data.permissions,
    events: data.events,
  };
}

/** The App's installation on the repository; undefined when it is not installed there (404). */
async function fetchInstallation(github: GitHubAccess, repo: RepoRef): Promise<InstallationInfo | undefined> {
  try {
    const { data } = await (await github.app()).request("GET /repos/{owner}/{repo}/installation", { owner: repo.owner, repo: repo.name });
    const account = (data.account ?? {}) as { login?: string; slug?: string };
    return {
      id: data.id,
      account: account.login ?? account.slug ?? "",
      htmlUrl: data.html_url,
      repositorySelection: data.repository_selection,
      permissions: data.permissions,
      events: data.events,
      suspended: Boolean(data.suspended_at),
    };
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

/** The training Cloud Run job by name; undefined when none is configured. Throws the API's error. */
async function fetchCloudRunJob(name: string | undefined, clientOptions: Record<string, unknown> | undefined): Promise<protos.google.cloud.run.v2.IJob | undefined> {
  if (!name) return undefined;
  const client = new JobsClient({ fallback: true, ...clientOptions });
  try {
    return (await client.getJob({ name }))[0];
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** `app.yml` of this package (the root, found upward from this module, in the sources or the build). */
function readAppManifest(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "app.yml");
    if (existsSync(candidate)) return readFileSync(candidate, "utf8");
    const parent = path.dirname(dir);
    if (parent === dir) return "";
    dir = parent;
  }
}
