import path from "node:path";
import Docker from "dockerode";
import { DockerImageBuilder } from "./adapters/images/docker-image-builder.js";
import type { RemoteDvcCache } from "./adapters/runners/cloud-run-dvc-cache.js";
import { CloudRunJobRunner } from "./adapters/runners/cloud-run-job-runner.js";
import { createArtifactStore } from "./adapters/stores/create-artifact-store.js";
import { DockerJobRunner } from "./adapters/runners/docker-job-runner.js";
import { createLocalRunner, type LocalRunnerSetup } from "./adapters/runners/create-local-runner.js";
import { GitSourceProvider } from "./adapters/source/git-source-provider.js";
import { SharedDvcCache } from "./adapters/cache/shared-dvc-cache.js";
import { createJobStore } from "./adapters/stores/create-job-store.js";
import { createDvcRemoteStore } from "./adapters/stores/create-dvc-remote-store.js";
import { openArtifactStore } from "./adapters/stores/open-artifact-store.js";
import { redactingArtifactStore } from "./adapters/secrets/redacting-artifact-store.js";
import { knownSecretValues } from "./adapters/secrets/secret-values.js";
import type { AppDeps } from "./app-deps.js";
import { CloudRunModelDeployer } from "./adapters/deploy/cloud-run-model-deployer.js";
import { createBuildCommand } from "./commands/build-command.js";
import { createDeployCommand } from "./commands/deploy-command.js";
import { createCancelCommand } from "./commands/cancel-command.js";
import { createCommandRegistry, type CommandRegistry } from "./commands/command-registry.js";
import { createDoctorCommand } from "./commands/doctor-command.js";
import type { DoctorCheck } from "./doctor/doctor-check.js";
import type { GitHubAccess } from "./doctor/doctor-context.js";
import { adcGoogleApi, type GoogleApi } from "./doctor/google-api.js";
import { BackgroundTasks } from "./jobs/background-tasks.js";
import { createDiffCommand } from "./commands/diff-command.js";
import { helpCommand } from "./commands/help-command.js";
import { okToTrainCommand } from "./commands/ok-to-train-command.js";
import { createTrainCommand } from "./commands/train-command.js";
import type { ServerConfig } from "./config/server-config.js";
import { createBuildExecutor } from "./jobs/executors/build-executor.js";
import { createDeployExecutor } from "./jobs/executors/deploy-executor.js";
import { createDiffExecutor } from "./jobs/executors/diff-executor.js";
import { createTrainExecutor } from "./jobs/executors/train-executor.js";
import type { LeftoverSweeper } from "./jobs/end-leftovers.js";
import type { JobExecutor } from "./jobs/job-executor.js";
import { RunnerRegistry, type RunnerName } from "./jobs/runner-registry.js";
import type { JobRunner } from "./ports/job-runner.js";
import { createBotMetrics, type BotMetrics } from "./metrics/bot-metrics.js";
import { meterJobStore } from "./metrics/metered-job-store.js";
import type { FileParser } from "./ports/file-parser.js";
import type { JobStore } from "./ports/job-store.js";
import type { ArtifactStore } from "./ports/artifact-store.js";
import type { Logger } from "./ports/logger.js";
import { WorkerPoolFileParser } from "./adapters/parsing/worker-pool-file-parser.js";
import { createJobPages, type JobPages } from "./web/create-job-pages.js";
import { createMlflowTracker } from "./adapters/tracking/create-mlflow-tracker.js";

export interface Engine extends AppDeps {
  readonly executors: readonly JobExecutor[];
  /** The local runner's sandbox, and what to tell the operator about it at start-up. */
  readonly localRunner: Pick<LocalRunnerSetup, "sandbox" | "message">;
  /** What ends the leftovers of dead bot processes: their jobs' processes, checkouts, scratch folders, containers. */
  readonly leftoverSweepers: readonly LeftoverSweeper[];
  /** Connects enqueues to the worker, so a new job starts without waiting for a poll. */
  onWake(wake: () => void): void;
  /** The job pages: live logs always, the HTTP handler when `server.web` is set. */
  readonly jobPages: JobPages;
}

/** What `createEngine` takes besides the server config: the bot's environment and the adapters tests replace. */
export interface EngineOptions {
  botEnv: NodeJS.ProcessEnv;
  store?: JobStore;
  runners?: Partial<Record<RunnerName, JobRunner>>;
  /** Cloud Run client options (tests: an auth client) and poll interval; production uses ADC over REST. */
  cloudRun?: { clientOptions?: Record<string, unknown>; pollMs?: number };
  /** Where the engine counts jobs (default: a registry of its own). */
  metrics?: BotMetrics;
  /** Where repository files are parsed (default: a pool of worker threads per `server.parsing`). */
  parser?: FileParser;
  /** Google REST APIs for /doctor's IAM and Secret Manager checks (tests: a static token); default Application Default Credentials. */
  google?: GoogleApi;
  /** The checks /doctor runs (default: all of them; tests pick a few). */
  doctorChecks?: readonly DoctorCheck[];
  log?: Logger;
}

/**
 * The engine on the embedded defaults: SQLite job store, artifact folder, git sources and local
 * process runner, all under the data folder; or, from the server config, a job store several
 * instances share (PostgreSQL or Cloud Storage) and artifacts in Cloud Storage. Other adapters
 * are passed in.
 */
export function createEngine(server: ServerConfig, options: EngineOptions): Engine {
  // Every secret value this process knows is redacted from logs, stored results, check runs and comments.
  knownSecretValues.addFromEnv(options.botEnv);
  let wake = () => {};
  const notify = { wake: () => wake() };
  let githubApp: GitHubAccess | undefined;
  const background = new BackgroundTasks();
  const metrics = options.metrics ?? createBotMetrics();
  const store = meterJobStore(options.store ?? createJobStore(server), metrics);
  const exchange = openArtifactStore(server.artifacts, { gcsEndpoint: server.gcsEndpoint });
  // What the bot stores is redacted (and job logs also feed the job pages' live logs); the Cloud
  // Run runner exchanges source and results through the store as is.
  const pages = createJobPages({ web: server.web, store, artifacts: redactingArtifactStore(exchange, knownSecretValues), redact: (text) => knownSecretValues.redact(text) });
  const { artifacts } = pages;
  const sources = new GitSourceProvider({ root: path.join(server.dataDir, "sources"), cloneUrl: server.cloneUrl });
  const cache = server.cache ? new SharedDvcCache({ config: server.cache, log: options.log }) : undefined;
  const local = createLocalRunner({
    jobPath: server.jobPath,
    allowUnsandboxed: server.allowUnsandboxed,
    sandboxUid: server.sandboxUid,
    protect: [server.dataDir, process.cwd(), ...(server.artifacts.kind === "folder" ? [server.artifacts.dir] : [])],
  });
  const docker = server.docker ? new Docker({ socketPath: server.docker.socketPath }) : undefined;
  const dockerJobs = docker && server.docker ? dockerRunner(docker, server) : undefined;
  const runners = createRunners(server, { local: local.runner, dockerJobs, exchange, cloudRun: options.cloudRun, extra: options.runners });
  const parser = options.parser ?? createParser(server, options.log);
  // Promotions roll the inference service the operator named; without one, /deploy says it is not enabled.
  const deployer = server.deploy
    ? new CloudRunModelDeployer({ ...server.deploy, gcsEndpoint: server.gcsEndpoint, clientOptions: options.cloudRun?.clientOptions, pollMs: options.cloudRun?.pollMs })
    : undefined;
  const executors = createExecutors(server, { botEnv: options.botEnv, sources, cache, runners, parser, jobPageUrl: pages.jobPageUrl, docker, deployer });
  return {
    server,
    parser,
    store,
    sources,
    artifacts,
    registry: createCommands(server, options, { notify, runners, sources, docker, deployer, store, exchange, github: () => githubApp, background }),
    background,
    bindApp: (access) => {
      githubApp = access;
    },
    executors,
    localRunner: { sandbox: local.sandbox, message: local.message },
    leftoverSweepers: [
      () => sources.sweep(),
      () => local.sweep(),
      ...(dockerJobs ? [() => dockerJobs.sweep()] : []),
      ...(cache ? [() => cache.collectGarbage().then((r) => r.removed)] : []),
    ],
    runners,
    dockerAvailable: docker !== undefined,
    jobPages: pages,
    jobPageUrl: pages.jobPageUrl,
    wake: notify.wake,
    metrics,
    onWake: (fn) => {
      wake = fn;
    },
  };
}

/** The slash commands this bot answers: /build without a Docker engine and /deploy without a service answer that they are not enabled. */
function createCommands(
  server: ServerConfig,
  options: Pick<EngineOptions, "botEnv" | "google" | "cloudRun" | "doctorChecks">,
  p: {
    notify: { wake: () => void };
    runners: RunnerRegistry;
    sources: GitSourceProvider;
    docker: Docker | undefined;
    deployer: CloudRunModelDeployer | undefined;
    store: JobStore;
    exchange: ArtifactStore;
    github: () => GitHubAccess | undefined;
    background: BackgroundTasks;
  },
): CommandRegistry {
  const { notify } = p;
  return createCommandRegistry([
    helpCommand,
    createTrainCommand({ ...notify, runners: p.runners, sources: p.sources, maxParamsBytes: server.parsing.limits.maxBytes.params }),
    createCancelCommand(notify),
    okToTrainCommand,
    createDiffCommand(notify),
    // Without a Docker engine, /build answers that it is not enabled here.
    ...(p.docker ? [createBuildCommand(notify)] : []),
    ...(p.deployer ? [createDeployCommand(notify)] : []),
    createDoctorCommand({
      botEnv: options.botEnv,
      store: p.store,
      artifacts: p.exchange,
      github: p.github,
      google: () => options.google ?? adcGoogleApi(),
      cloudRunClientOptions: options.cloudRun?.clientOptions,
      background: p.background,
      ...(options.doctorChecks ? { checks: options.doctorChecks } : {}),
    }),
  ]);
}

/**
 * One executor per job kind, always: without a Docker engine (build) or a service to roll (deploy),
 * a job queued before the setting was removed fails when it is picked up, saying what to set.
 */
function createExecutors(
  server: ServerConfig,
  p: {
    botEnv: NodeJS.ProcessEnv;
    sources: GitSourceProvider;
    cache: SharedDvcCache | undefined;
    runners: RunnerRegistry;
    parser: FileParser;
    jobPageUrl: ((jobId: string) => string) | undefined;
    docker: Docker | undefined;
    deployer: CloudRunModelDeployer | undefined;
  },
): JobExecutor[] {
  const { sources, parser } = p;
  const executors: JobExecutor[] = [
    createTrainExecutor({
      sources,
      cache: p.cache,
      runners: p.runners,
      server,
      botEnv: p.botEnv,
      parse: parser.parse,
      tracking: server.mlflow ? { tracker: createMlflowTracker(server.mlflow), experiment: server.mlflow.experiment } : undefined,
      jobPageUrl: p.jobPageUrl,
    }),
    createDiffExecutor({ sources, createRemoteStore: (url) => createDvcRemoteStore({ url, gcsEndpoint: server.gcsEndpoint }), parse: parser.parse, limits: server.parsing.limits }),
  ];
  executors.push(createBuildExecutor({ sources, builder: p.docker && new DockerImageBuilder(p.docker), registryAuth: server.registryAuth }));
  executors.push(createDeployExecutor({ deployer: p.deployer, sources }));
  return executors;
}

/**
 * The runners this bot has, by the name a repo config uses: local always, Docker with an engine,
 * Cloud Run with a job and artifacts in Cloud Storage (the exchange), and any a test passes in.
 */
function createRunners(
  server: ServerConfig,
  p: {
    local: JobRunner;
    dockerJobs: DockerJobRunner | undefined;
    exchange: ConstructorParameters<typeof CloudRunJobRunner>[0]["artifacts"];
    cloudRun: { clientOptions?: Record<string, unknown>; pollMs?: number } | undefined;
    extra: Partial<Record<RunnerName, JobRunner>> | undefined;
  },
): RunnerRegistry {
  const cloudRun =
    server.cloudRunJob && server.artifacts.kind === "gcs"
      ? new CloudRunJobRunner({ job: server.cloudRunJob, artifacts: p.exchange, artifactsUrl: server.artifacts.url, dvcCache: remoteDvcCache(server), ...p.cloudRun })
      : undefined;
  return new RunnerRegistry({ local: p.local, ...(p.dockerJobs ? { docker: p.dockerJobs } : {}), ...(cloudRun ? { "cloud-run": cloudRun } : {}), ...p.extra });
}

/** The Cloud Run jobs' DVC run-cache, when configured: its layers are opened as stores with the bot's credentials. */
function remoteDvcCache(server: ServerConfig): RemoteDvcCache | undefined {
  const root = server.cloudRunDvcCache;
  return root ? { root, open: (url) => createArtifactStore(url, { gcsEndpoint: server.gcsEndpoint }) } : undefined;
}

/** Where repository files are parsed: a pool of worker threads under the parse limits. */
function createParser(server: ServerConfig, log: Logger | undefined): FileParser {
  return new WorkerPoolFileParser({
    limits: server.parsing.limits,
    size: server.parsing.workers,
    timeoutMs: server.parsing.timeoutMs,
    memoryMb: server.parsing.memoryMb,
    log,
  });
}

/** The Docker runner, as the sandbox's unprivileged uid when the bot runs as root. */
function dockerRunner(docker: Docker, server: ServerConfig): DockerJobRunner {
  const root = process.getuid?.() === 0;
  return new DockerJobRunner(docker, { ...server.docker!, ...(root ? { user: { uid: server.sandboxUid, gid: server.sandboxUid } } : {}) });
}
