import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { testServicesEnv } from "./test-services-env.js";

/** Debian's chromium, from the test services' env file (scripts/start-test-mlflow.sh finds it). */
export const CHROMIUM = testServicesEnv().MLOPS_TEST_CHROMIUM;

/** Where browser tests leave their screenshots (the test output folder). */
export const SCREENSHOTS = path.resolve("test-output/screenshots");

/**
 * Launches Debian's chromium headless through playwright-core, as root needs it: no sandbox, no
 * GPU, no background traffic (component updates, sync, networking), a fresh profile folder
 * removed on close. Nothing the page does may reach another host: tests also block such requests.
 */
export async function launchChromium(options: { colorScheme?: "light" | "dark"; width?: number } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "mlops-bot-chromium-"));
  // A persistent context is how playwright takes a profile folder (--user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM!,
    headless: true,
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    colorScheme: options.colorScheme ?? "light",
    viewport: { width: options.width ?? 1100, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Every request the page makes to another origin, and every CSP violation or page error it reports. */
export function watchPage(page: Page, origin: string): { outside: string[]; problems: string[] } {
  const outside: string[] = [];
  const problems: string[] = [];
  void page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { outside, problems };
}
