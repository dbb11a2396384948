import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlotComparison } from "../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../src/core/plots/parse-plot-definitions.js";
import { CHROMIUM, launchChromium, SCREENSHOTS, watchPage } from "../helpers/browser.js";
import { newJob, newTrainingResult } from "../helpers/new-job.js";
import { plotFiles, plotRun } from "../core/plots/plot-fixtures.js";
import { startWebServer } from "../web/web-test-server.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

describe.runIf(CHROMIUM || required)("job page in chromium (a stored job, no pipeline)", () => {
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let jobUrl: string;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error("MLOPS_REQUIRE_DOCKER=1 but chromium is missing (scripts/prepare-test-tools.sh installs it)");
    web = await startWebServer();
    chromium = await launchChromium();
    const defs = parsePlotDefinitions({ file: "ml/dvc.yaml", text: plotRun("head")["ml/dvc.yaml"]! });
    if (!defs.ok) throw new Error("fixture");
    const { job } = await web.store.enqueue(newJob());
    await web.store.claimNext({ worker: "test:1", kinds: ["train"] });
    await web.artifacts.put(`jobs/${job.id}/log.txt`, "Running stage 'evaluate':\nevaluate: accuracy 0.94\n");
    const plots = buildPlotComparison({ definitions: defs.value, head: plotFiles("large"), base: plotFiles("base") });
    await web.store.transition(job.id, "running", "succeeded", { result: { ...newTrainingResult(), logKey: `jobs/${job.id}/log.txt`, artifacts: [], plots } });
    jobUrl = web.signer.url({ kind: "job", id: job.id });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  it("draws every plot with the bot's own scripts under its CSP, in light and narrow dark windows", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const page = await chromium.context.newPage();
    const watched = watchPage(page, web.url);
    await page.goto(jobUrl);
    await page.waitForSelector('#plots .chart[data-drawn="true"] svg');
    const roc = page.locator("#plots figure").first();
    await expect.poll(() => roc.locator("svg .mark-line path").count()).toBe(2);
    expect(await page.locator("#status").innerText()).toContain("Succeeded");
    await page.screenshot({ path: path.join(SCREENSHOTS, "job-page-stored.png"), fullPage: true });

    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 380, height: 800 });
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).toBeLessThanOrEqual(380);
    await page.screenshot({ path: path.join(SCREENSHOTS, "job-page-stored-narrow-dark.png"), fullPage: true });
    expect(watched.outside).toEqual([]);
    expect(watched.problems).toEqual([]);
    await page.close();
  });
});
