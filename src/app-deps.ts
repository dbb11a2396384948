import type { CommandRegistry } from "./commands/command-registry.js";
import type { ServerConfig } from "./config/server-config.js";
import type { GitHubAccess } from "./doctor/doctor-context.js";
import type { BackgroundTasks } from "./jobs/background-tasks.js";
import type { BotMetrics } from "./metrics/bot-metrics.js";
import type { ArtifactStore } from "./ports/artifact-store.js";
import type { FileParser } from "./ports/file-parser.js";
import type { JobStore } from "./ports/job-store.js";
import type { SourceProvider } from "./ports/source-provider.js";
import type { RunnerRegistry } from "./jobs/runner-registry.js";

/** What the app's handlers need, built once by `main.ts` (or by a test). */
export interface AppDeps {
  readonly server: ServerConfig;
  readonly store: JobStore;
  /** The git mirrors: each event reads the repository's config from its default branch there (no contents API call). */
  readonly sources: Pick<SourceProvider, "readDefaultBranchFile">;
  /** Parses repository files (params at a PR's head...) off the bot's thread, under the parse limits. */
  readonly parser: FileParser;
  readonly artifacts: ArtifactStore;
  readonly registry: CommandRegistry;
  /** The bot's runners: intakes (/train, Re-run, train on push) refuse a config naming one it does not have. */
  readonly runners: Pick<RunnerRegistry, "missing">;
  /** Whether this bot has a Docker engine (for /build and build on push). */
  readonly dockerAvailable: boolean;
  /** Tells the worker there is new work (a job was queued). */
  readonly wake: () => void;
  /** Counters and histograms for `GET /metrics`. */
  readonly metrics: BotMetrics;
  /** Work started by webhooks that outlives them (/doctor's checks); a stopping process drains it. */
  readonly background?: BackgroundTasks;
  /** Gives the engine the App's own credentials once Probot has them (/doctor asks for the App and its deliveries). */
  readonly bindApp?: (access: GitHubAccess) => void;
  /** The signed URL of a job's page (a check run's details), when the job pages are on. */
  readonly jobPageUrl?: ((jobId: string) => string) | undefined;
}
