import { formatProblem, type Problem } from "./problem.js";

/**
 * Typed errors that carry what went wrong, as data. One place (`report/render-error.ts`) turns
 * them into what the user sees (a reply, a check run) and what the operator's log gets.
 */
export abstract class BotError extends Error {
  abstract readonly kind: "config" | "usage" | "permission" | "runner" | "storage";
}

/** A configuration (the repo's `.github/mlops-bot.yml`, the server's environment) that does not parse. */
export class ConfigError extends BotError {
  readonly kind = "config" as const;
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}

/** A request that cannot be carried out as asked (an override that cannot be written, a bad argument). */
export class UsageError extends BotError {
  readonly kind = "usage" as const;
  constructor(message: string, readonly details: readonly string[] = []) {
    super(message);
    this.name = "UsageError";
  }
}

/** A user below the repository permission a command needs. */
export class PermissionError extends BotError {
  readonly kind = "permission" as const;
  constructor(readonly refusal: { readonly user: string; readonly action: string; readonly required: string; readonly actual: string }) {
    super(`${refusal.action} needs ${refusal.required} permission; @${refusal.user} has ${refusal.actual}`);
    this.name = "PermissionError";
  }
}

/** A runner that cannot run a job (missing, not configured, no sandbox). */
export class RunnerError extends BotError {
  readonly kind = "runner" as const;
  constructor(message: string, readonly logTail: readonly string[] = []) {
    super(message);
    this.name = "RunnerError";
  }
}

/** A store (jobs, artifacts) that cannot be read or written. */
export class StorageError extends BotError {
  readonly kind = "storage" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageError";
  }
}
