import type { RepoConfig } from "../config/repo-config-schema.js";
import { RunnerError } from "../core/errors.js";
import type { JobRunner } from "../ports/job-runner.js";

export type RunnerName = RepoConfig["runner"];

/** The runners this bot has, by the name a repo config uses (`runner: local | docker | cloud-run`). */
export class RunnerRegistry {
  private readonly runners: ReadonlyMap<RunnerName, JobRunner>;

  constructor(runners: Partial<Record<RunnerName, JobRunner>>) {
    this.runners = new Map(Object.entries(runners) as Array<[RunnerName, JobRunner]>);
  }

  /** The runner, or a `RunnerError` naming the ones this bot has. */
  get(name: RunnerName): JobRunner {
    const runner = this.runners.get(name);
    if (!runner) throw this.missing(name)!;
    return runner;
  }

  /**
   * Why a job for `runner: name` cannot run here (a `RunnerError` naming the runners this bot
   * has), or undefined when it can: asked before a job is queued, so a missing runner is said at
   * once instead of after the check run shows the job as queued.
   */
  missing(name: RunnerName): RunnerError | undefined {
    if (this.runners.has(name)) return undefined;
    return new RunnerError(
      `The repo config asks for \`runner: ${name}\`, which this bot does not have. Available: ${[...this.runners.keys()].map((n) => `\`${n}\``).join(", ")}. Change \`runner\` in .github/mlops-bot.yml, or ask the bot's operator to set it up.`,
    );
  }
}
