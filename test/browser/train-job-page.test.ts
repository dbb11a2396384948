import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { CHROMIUM, launchChromium, SCREENSHOTS, watchPage } from "../helpers/browser.js";
import { makeExampleOrigin } from "../helpers/example-repo.js";
import * as gh from "../helpers/github-responses.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";
const WEB_SECRET = "job-page-test-secret-0123456789abcdef";

/**
 * The acceptance test of the job page: a real `/train` of the example (local runner, the real
 * pipeline) while Debian's chromium has its page open: log lines arrive, the run ends without a
 * reload, and the ROC chart is drawn with base and head; the page without a signature is a 404.
 */
describe.runIf(CHROMIUM || required)("the job page of a real /train, in chromium", () => {
  let bot: BotHarness;
  let server: Server;
  let origin: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error("MLOPS_REQUIRE_DOCKER=1 but chromium is missing (scripts/prepare-test-tools.sh installs it)");
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: { "train.n_estimators": "40", "train.max_depth": "2" } });
    bot = await startBot({ dir, originRoot, env: { MLOPS_PUBLIC_URL: origin, MLOPS_WEB_SECRET: WEB_SECRET } });
    const pages = bot.engine.jobPages.handler!;
    server.on("request", (req, res) => void pages(req, res).then((handled) => handled || res.writeHead(404).end()));
    chromium = await launchChromium();

    const { api } = bot;
    api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
    api().post(`${REPO_API}/issues/comments/9200/reactions`).times(2).reply(201, gh.reaction("eyes"));
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    api().get(`${REPO_API}/pulls/1`).reply(200, gh.pullRequest({ number: 1, head, base, author: "octocat" }));
    api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 56 }));
    api().patch(`${REPO_API}/check-runs/56`).times(40).optionally().reply(200, gh.checkRun({ id: 56 }));
    api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 778 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 9200 }));
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await bot?.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it("follows the run live from the check run's details link: log lines, the end without a reload, the ROC chart", async () => {
    const created = bot.calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/check-runs`)!;
    const detailsUrl = (created.body as { details_url: string }).details_url;
    expect(detailsUrl.startsWith(`${origin}/jobs/`)).toBe(true);

    const page = await chromium.context.newPage();
    const watched = watchPage(page, origin);
    await page.goto(detailsUrl);
    expect(await page.locator("#status").innerText()).toMatch(/Queued|Running/);
    // A marker that a reload would wipe.
    await page.evaluate("window.__sameDocument = true");

    await bot.worker.start();
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector("#log")?.textContent.includes("Running stage 'train'"), null, { timeout: 180_000 });
    // Lines arrived while the job was still running.
    const whileRunning = await page.evaluate<string>("document.querySelector('#job').dataset.state");
    const linesThen = await page.evaluate<number>("document.querySelector('#log').textContent.split('\\n').length");
    expect(whileRunning).toBe("running");
    expect(await page.locator("#status").innerText()).toContain("Running");

    await page.waitForSelector('#job[data-ended="true"]', { timeout: 240_000 });
    expect(await page.evaluate<boolean>("window.__sameDocument === true")).toBe(true);
    expect(await page.evaluate<number>("performance.getEntriesByType('navigation').length")).toBe(1);
    expect(await page.locator("#status").innerText()).toContain("Succeeded");
    const linesAfter = await page.evaluate<number>("document.querySelector('#log').textContent.split('\\n').length");
    expect(linesAfter).toBeGreaterThan(linesThen);
    expect(await page.locator("#stages").innerText()).toMatch(/evaluate\s+done/);
    expect(await page.locator("#metrics table").innerText()).toContain("accuracy");

    const roc = page.locator("#plots figure", { hasText: "ROC curve" });
    await roc.locator('.chart[data-drawn="true"] svg').waitFor();
    expect(await roc.locator("svg .mark-line path").count()).toBe(2);
    const legend = (await roc.locator("svg").textContent()) ?? "";
    expect(legend).toMatch(/base \(main @ [0-9a-f]{7}\)/);
    expect(legend).toMatch(/head \([0-9a-f]{7}\)/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "job-page-train.png"), fullPage: true });
    expect(watched.outside).toEqual([]);
    expect(watched.problems).toEqual([]);

    // The sticky comment links the page and draws the plots.
    await bot.worker.idle();
    const sticky = bot.calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`)!;
    const body = (sticky.body as { body: string }).body;
    expect(body).toContain(`[Job page](${detailsUrl.slice(0, detailsUrl.indexOf("?"))}?exp=`);
    expect(body).toContain("```mermaid");
    await page.close();
  }, 600_000);

  it("answers 404 to the page without a signature, or with another job's", async () => {
    const [job] = await bot.engine.store.list({});
    const page = await chromium.context.newPage();
    expect((await page.goto(`${origin}/jobs/${job!.id}`))?.status()).toBe(404);
    const other = bot.engine.jobPages.signer!.sign({ kind: "job", id: "another-job" });
    expect((await page.goto(`${origin}/jobs/${job!.id}?exp=${other.exp}&sig=${other.sig}`))?.status()).toBe(404);
    expect((await page.locator("body").innerText()).trim()).toBe("Not found");
    await page.close();
  });
});
