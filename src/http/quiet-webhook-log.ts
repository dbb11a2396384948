import type { Logger } from "../ports/logger.js";

/**
 * The logger given to the webhooks middleware. Its errors carry the delivery (payload included)
 * as a property; logged as they are, a rejected delivery wrote its whole payload to the log. This
 * one logs each error in one line: its name and message, never its properties.
 */
export function quietWebhookLog(log: Logger): { debug: (m: unknown) => void; info: (m: unknown) => void; warn: (m: unknown) => void; error: (m: unknown) => void } {
  const line = (level: "info" | "warn" | "error") => (m: unknown) => {
    if (typeof m === "string") return log[level](m.slice(0, 500));
    const e = m as { name?: unknown; message?: unknown; event?: { id?: unknown; name?: unknown } };
    log[level]({ err: { name: String(e?.name), message: String(e?.message).slice(0, 500) }, delivery: e?.event?.id, event: e?.event?.name }, "webhook delivery failed");
  };
  return { debug: () => undefined, info: line("info"), warn: line("warn"), error: line("error") };
}
