/**
 * The laptop flow: `npm start` without credentials serves Probot's setup page, whose button posts
 * the App manifest to GitHub. These tests start the real bot process in setup mode and read the
 * manifest off the real page: the webhook URL it registers must be where deliveries can reach
 * this bot (the smee.io channel, or the public URL with the webhook path), and the smee client
 * must be there (a dependency, not an npx download).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { setupWebhookUrl } from "../src/adapters/github/setup-manifest.js";
import { tempDir } from "./helpers/temp-dir.js";

const root = path.resolve(import.meta.dirname, "..");
const running: Array<{ close(): void }> = [];
afterEach(() => {
  for (const r of running.splice(0)) r.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The bot in setup mode, in a folder of its own (Probot reads app.yml and writes .env there). */
async function startSetupMode(env: Record<string, string>): Promise<{ port: number; output: () => string; child: ChildProcess }> {
  const cwd = tempDir();
  copyFileSync(path.join(root, "app.yml"), path.join(cwd, "app.yml"));
  const port = await freePort();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(APP_ID|PRIVATE_KEY|PRIVATE_KEY_PATH|WEBHOOK_|MLOPS_|GHE_|NO_SMEE)/.test(k)));
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), path.join(root, "src/main.ts")], {
    cwd,
    env: { ...clean, NODE_ENV: "development", PORT: String(port), HOST: "127.0.0.1", MLOPS_DATA_DIR: path.join(cwd, "data"), LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push({ close: () => child.kill("SIGKILL") });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 45_000;
  while (!output.includes("Listening on")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the bot did not start its setup flow:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, output: () => output, child };
}

async function manifestOfSetupPage(port: number): Promise<{ hook_attributes: { url: string }; default_events: string[]; name: string }> {
  const html = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
  expect(html).toContain(">Register GitHub App</button>");
  const value = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
  if (!value) throw new Error(`no manifest on the setup page:\n${html}`);
  return JSON.parse(value) as { hook_attributes: { url: string }; default_events: string[]; name: string };
}

describe("setup flow (npm start without credentials)", () => {
  it("registers the App with the public URL and the webhook path, and opens no smee.io channel", async () => {
    const bot = await startSetupMode({ MLOPS_PUBLIC_URL: "https://bot.example.com/" });
    const manifest = await manifestOfSetupPage(bot.port);
    expect(manifest.hook_attributes.url).toBe("https://bot.example.com/api/github/webhooks");
    expect(manifest.name).toBe("mlops-bot");
    expect(manifest.default_events).toContain("issue_comment");
    expect(bot.output()).not.toMatch(/smee/i);
  });

  it("registers the App with the smee.io channel and forwards from it with the installed smee client", async () => {
    const connections: IncomingMessage[] = [];
    const smee: Server = createServer((req, res) => {
      connections.push(req);
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": ready\n\n");
    });
    await new Promise<void>((resolve) => smee.listen(0, "127.0.0.1", resolve));
    running.push({ close: () => smee.closeAllConnections() });
    running.push({ close: () => smee.close() });
    const channel = `http://127.0.0.1:${(smee.address() as AddressInfo).port}/abc123`;

    const bot = await startSetupMode({ WEBHOOK_PROXY_URL: channel });
    const manifest = await manifestOfSetupPage(bot.port);
    expect(manifest.hook_attributes.url).toBe(channel);
    const deadline = Date.now() + 20_000;
    while (connections.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(connections.map((c) => [c.url, c.headers.accept])).toContainEqual(["/abc123", "text/event-stream"]);
    expect(bot.output()).not.toContain("SmeeClient is not available");
    expect(bot.output()).not.toContain("npm install --save-dev smee-client");
  });
});

describe("setupWebhookUrl", () => {
  it("prefers the proxy channel, then the public URL, then the page's URL, each with the webhook path", () => {
    expect(setupWebhookUrl({ env: { WEBHOOK_PROXY_URL: "https://smee.io/x", MLOPS_PUBLIC_URL: "https://a.example" }, pageUrl: "http://localhost:3000" })).toBe("https://smee.io/x");
    expect(setupWebhookUrl({ env: { MLOPS_PUBLIC_URL: "https://a.example/bot/" }, pageUrl: "http://localhost:3000" })).toBe("https://a.example/bot/api/github/webhooks");
    expect(setupWebhookUrl({ env: { WEBHOOK_PATH: "/hooks" }, pageUrl: "http://localhost:3000" })).toBe("http://localhost:3000/hooks");
  });
});
