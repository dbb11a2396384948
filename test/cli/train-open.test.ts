import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-command.js";
import { trainCommand } from "../../src/cli/commands/train.js";
import { JOB_PATH, makeExampleOrigin } from "../helpers/example-repo.js";
import { tempDir } from "../helpers/temp-dir.js";
import { readEvents } from "../web/web-test-server.js";

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("mlops-bot train --open", () => {
  it("serves the run's job page on 127.0.0.1 while it trains (live log) and after (report, plots, files) until Ctrl-C, and opens it with $BROWSER", async () => {
    const dir = tempDir();
    const repo = path.join(dir, "project");
    makeExampleOrigin({ dir: repo, change: { "train.n_estimators": "60" } });
    // A "browser" that writes down what it was asked to open.
    const opened = path.join(dir, "opened.txt");
    const browser = path.join(dir, "browser.sh");
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(browser, 0o755);
    const controller = new AbortController();
    const io: CliIo & { stderr: string; stdout: string } = {
      cwd: repo,
      env: { PATH: JOB_PATH, HOME: process.env.HOME, XDG_CACHE_HOME: path.join(dir, "cache"), BROWSER: browser },
      signal: controller.signal,
      stdout: "",
      stderr: "",
      out: (t) => void (io.stdout += t),
      err: (t) => void (io.stderr += t),
    };
    const running = trainCommand.run(["--base", "main", "--open", "--quiet"], io);

    const url = await waitFor("the job page link", () => /Job page: (\S+)/.exec(io.stderr)?.[1]);
    expect(new URL(url).hostname).toBe("127.0.0.1");
    expect(await waitFor("the browser", () => (existsSync(opened) ? readFileSync(opened, "utf8") : undefined))).toBe(url);
    const unsigned = url.slice(0, url.indexOf("?"));
    expect((await fetch(unsigned)).status).toBe(404);

    // While it trains: the page answers, and its event stream carries the pipeline's log lines.
    const { pathname, search } = new URL(url);
    const events = await readEvents(`${new URL(url).origin}${pathname}/events${search}`, {}, (e) => e.some((x) => x.event === "log" && JSON.stringify(x.data).includes("Running stage")));
    expect(events.some((e) => e.event === "log")).toBe(true);

    await waitFor("the report", () => (io.stderr.includes("stays up") ? true : undefined));
    expect(io.stdout).toMatch(/# accuracy /);
    const html = await (await fetch(url)).text();
    expect(html).toContain("<strong>Succeeded</strong>");
    expect(html).toMatch(/<th scope="row"><code>accuracy<\/code><\/th>/);
    expect(html).toContain('aria-label="ROC curve (test split): base and head"');
    const log = /href="([^"]+\/log\.txt\?[^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    expect(await (await fetch(new URL(log, url))).text()).toContain("Running stage 'train'");

    controller.abort();
    expect(await running).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  }, 400_000);
});
