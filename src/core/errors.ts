import { formatProblem, type Problem } from "./problem.js";

/**
 * Typed errors that carry what the user must see. One place (`report/render-error.ts`)
 * turns them into a reply or a check-run output; the log gets `name` and `message`.
 */
export abstract class BotError extends Error {
  abstract readonly kind: "config" | "usage" | "permission" | "runner" | "storage";
  /** Markdown safe to show on GitHub: never contains secrets. */
  abstract userMessage(): string;
}

export class ConfigError extends BotError {
  readonly kind = "config" as const;
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
  userMessage(): string {
    return ["The bot's configuration is invalid, so nothing was run:", "", ...this.problems.map((p) => `- ${formatProblem(p)}`)].join("\n");
  }
}

export class UsageError extends BotError {
  readonly kind = "usage" as const;
  constructor(message: string, readonly details: readonly string[] = []) {
    super(message);
    this.name = "UsageError";
  }
  userMessage(): string {
    return [this.message, ...this.details.map((d) => `- ${d}`)].join("\n");
  }
}

export class PermissionError extends BotError {
  readonly kind = "permission" as const;
  constructor(message: string) {
    super(message);
    this.name = "PermissionError";
  }
  userMessage(): string {
    return this.message;
  }
}

export class RunnerError extends BotError {
  readonly kind = "runner" as const;
  constructor(message: string, readonly logTail: readonly string[] = []) {
    super(message);
    this.name = "RunnerError";
  }
  userMessage(): string {
    return this.message;
  }
}

export class StorageError extends BotError {
  readonly kind = "storage" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageError";
  }
  userMessage(): string {
    return this.message;
  }
}
