import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Probot's default webhook path (`@octokit/webhooks`); `WEBHOOK_PATH` changes it, for Probot and here. */
export const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";

/**
 * The webhook URL the GitHub App is registered with by Probot's setup flow: the smee.io channel
 * when webhooks are proxied to this machine (`WEBHOOK_PROXY_URL`: smee posts them on to the
 * webhook path itself), else the bot's public URL with the webhook path, else the URL the setup
 * page was opened at with the webhook path. Probot's own choice, `<page URL>/`, has no path, so
 * GitHub's deliveries would land on a 404.
 */
export function setupWebhookUrl(params: { env: NodeJS.ProcessEnv; pageUrl: string }): string {
  const { env } = params;
  if (env.WEBHOOK_PROXY_URL) return env.WEBHOOK_PROXY_URL;
  const webhookPath = env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;
  const base = (env.MLOPS_PUBLIC_URL || params.pageUrl).replace(/\/+$/, "");
  return `${base}${webhookPath}`;
}

interface ManifestCreationLike {
  getManifest(options: { baseUrl: string }): string;
}

/**
 * Makes Probot's setup page register the App with `setupWebhookUrl`'s URL. Probot builds the
 * manifest in its (unexported) ManifestCreation class; this wraps that class's `getManifest` once
 * per process, loading the very module Probot uses (same file URL, so the same class). The test
 * `test/main-setup.test.ts` reads the manifest off the real setup page, so a Probot upgrade that
 * moves it fails there, not on a user's laptop.
 */
export async function fixSetupManifest(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const probotEntry = createRequire(import.meta.url).resolve("probot");
  const file = path.join(path.dirname(probotEntry), "manifest-creation.js");
  const { ManifestCreation } = (await import(pathToFileURL(file).href)) as { ManifestCreation: { prototype: ManifestCreationLike & { [FIXED]?: true } } };
  const proto = ManifestCreation.prototype;
  if (proto[FIXED]) return;
  const original = Object.getOwnPropertyDescriptor(proto, "getManifest")?.value as (this: ManifestCreationLike, options: { baseUrl: string }) => string;
  proto.getManifest = function getManifest(this: ManifestCreationLike, options) {
    const manifest = JSON.parse(original.call(this, options)) as { hook_attributes?: { url?: string } };
    manifest.hook_attributes = { ...manifest.hook_attributes, url: setupWebhookUrl({ env, pageUrl: options.baseUrl }) };
    return JSON.stringify(manifest);
  };
  proto[FIXED] = true;
}

const FIXED = Symbol.for("mlops-bot.setup-manifest-fixed");

/**
 * Before Probot's `run`: the manifest fix above, no smee.io channel when the bot has a public URL
 * (`NO_SMEE_SETUP`, Probot's switch), and the smee.io client for Probot's setup flow (a dependency,
 * so Probot never reports "SmeeClient is not available" and never fetches it with npx).
 */
export async function prepareSetupFlow(env: NodeJS.ProcessEnv = process.env): Promise<{ SmeeClient: { createChannel: () => Promise<string | undefined> } }> {
  await fixSetupManifest(env);
  if (env.MLOPS_PUBLIC_URL && env.NO_SMEE_SETUP === undefined) env.NO_SMEE_SETUP = "true";
  const { SmeeClient } = await import("smee-client");
  return { SmeeClient };
}
