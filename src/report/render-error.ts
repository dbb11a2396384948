import { BotError, ConfigError, PermissionError, UsageError } from "../core/errors.js";
import { formatProblem } from "../core/problem.js";

/** Words for where the error happened: what did not run, what failed, how to retry. */
export interface ErrorContext {
  /** Ends a refusal: "nothing was run" unless told (e.g. "the re-run did not start"). */
  readonly nothingRan?: string;
  /** Names what failed in a bug's message: "It" unless told (e.g. "`/train`"). */
  readonly subject?: string;
  /** How to retry after a bug. */
  readonly retry?: string;
}

/**
 * The one place typed errors become words: `renderError` is what a user sees on GitHub (a reply
 * section, a check run's summary, a job's reason); `errorLogFields` is the operator's log line.
 * Anything that is not a `BotError` is a bug on the bot's side: the user is told so, without its
 * message (it may hold paths or values that are not theirs to see).
 */
export function renderError(error: unknown, context: ErrorContext = {}): string {
  if (!(error instanceof BotError)) {
    const retry = context.retry ?? "Try again, and tell the bot's operator if it keeps failing.";
    return `${context.subject ?? "It"} failed on the bot's side (${error instanceof Error ? error.name : "error"}); nothing was lost. ${retry}`;
  }
  const nothingRan = context.nothingRan ?? "nothing was run";
  if (error instanceof ConfigError) {
    return [`The bot's configuration is invalid, so ${nothingRan}:`, "", ...error.problems.map((p) => `- ${formatProblem(p)}`)].join("\n");
  }
  if (error instanceof PermissionError) {
    const { action, required, actual } = error.refusal;
    return `${action} needs **${required}** permission on this repository; you have **${actual}**. ${capitalize(nothingRan)}.`;
  }
  if (error instanceof UsageError) return [error.message, ...error.details.map((d) => `- ${d}`)].join("\n");
  return error.message;
}

/** What the operator's log says about an error: its kind and name, and its message. */
export function errorLogFields(error: unknown): { err: unknown; kind?: BotError["kind"] } {
  return error instanceof BotError ? { err: { name: error.name, message: error.message }, kind: error.kind } : { err: error };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
