import { createHmac } from "node:crypto";
import { z } from "zod";
import { readEnvSection } from "./read-env-section.js";

/** The job pages: where they are served, the key that signs their links, how long links last. */
export interface WebConfig {
  readonly publicUrl: string;
  readonly secret: string;
  readonly ttlSeconds: number;
  /** Where the secret came from, for the start-up log line. */
  readonly secretSource: "MLOPS_WEB_SECRET" | "WEBHOOK_SECRET";
}

const schema = z.object({
  MLOPS_WEB_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  MLOPS_WEB_LINK_DAYS: z.coerce
    .number({ message: "must be a number of days, like 30" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1")
    .max(365, "must be at most 365")
    .default(30),
  WEBHOOK_SECRET: z.string().optional(),
});

/**
 * The job pages are on when the bot has a public URL and a signing key: `MLOPS_WEB_SECRET`, or
 * else a key derived from the webhook secret (HMAC-SHA256 of a fixed label, so the webhook secret
 * itself never signs anything the page shows). Without a public URL there is nowhere to link to.
 */
export function loadWebConfig(env: NodeJS.ProcessEnv, publicUrl: string | undefined): WebConfig | undefined {
  const c = readEnvSection(schema, env);
  if (!publicUrl) return undefined;
  const ttlSeconds = c.MLOPS_WEB_LINK_DAYS * 86_400;
  if (c.MLOPS_WEB_SECRET) return { publicUrl, secret: c.MLOPS_WEB_SECRET, ttlSeconds, secretSource: "MLOPS_WEB_SECRET" };
  if (!c.WEBHOOK_SECRET) return undefined;
  const derived = createHmac("sha256", c.WEBHOOK_SECRET).update("mlops-bot job page links v1").digest("hex");
  return { publicUrl, secret: derived, ttlSeconds, secretSource: "WEBHOOK_SECRET" };
}
