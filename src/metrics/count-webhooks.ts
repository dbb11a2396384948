import type { BotMetrics } from "./bot-metrics.js";

/**
 * Wraps a webhook handler so each delivery it handles is counted by event (`name.action`) and
 * outcome; a failure is counted and passed on to Probot as before.
 */
export function countWebhooks<C extends { name: string; payload: unknown }>(metrics: BotMetrics, handler: (context: C) => Promise<void>) {
  return async (context: C): Promise<void> => {
    const action = (context.payload as { action?: unknown }).action;
    const event = typeof action === "string" ? `${context.name}.${action}` : context.name;
    try {
      await handler(context);
      metrics.webhook(event, "handled");
    } catch (e) {
      metrics.webhook(event, "failed");
      throw e;
    }
  };
}
