import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlotComparison } from "../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../src/core/plots/parse-plot-definitions.js";
import { CHROMIUM, launchChromium, watchPage } from "../helpers/browser.js";
import { newJob, newTrainingResult } from "../helpers/new-job.js";
import { startWebServer } from "../web/web-test-server.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

// Everything below comes from a pull request: its dvc.yaml, plot files, file names, log lines,
// metrics and params, its branch name. Each payload would set window.__pwned if it ever ran.
const PWN = (n: number) => `<img src=x onerror="window.__pwned=${n}">`;
const TITLE = `</script><script>window.__pwned=1</script>${PWN(2)} {{datum.x}}`;
const PLOT_FILE = `plots/${PWN(3)}.json`;
const CLASS = `<svg onload="window.__pwned=4">`;
const STAGE = `${PWN(5)}`;
const BRANCH = `"><script>window.__pwned=6</script>`;
const ARTIFACTS = [`"${PWN(7)}'.txt`, "a b?c=1#d%2F.txt", `${"x".repeat(99)}😀.txt`, "naïve ünïcode.csv"];

describe.runIf(CHROMIUM || required)("hostile pull-request content on the job page, in chromium", () => {
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let finishedUrl: string;
  let runningUrl: string;
  let runningId: string;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error("MLOPS_REQUIRE_DOCKER=1 but chromium is missing (scripts/prepare-test-tools.sh installs it)");
    web = await startWebServer();
    chromium = await launchChromium();
    const dvcYaml = `plots:\n  - ${JSON.stringify(PLOT_FILE)}:\n      title: ${JSON.stringify(TITLE)}\n      x: ${JSON.stringify(PWN(8))}\n      y: "lo'ss\\""\n  - plots/cm.csv:\n      template: confusion\n      x: actual\n      y: predicted\n      title: ${JSON.stringify(`@admin ${CLASS}`)}\n`;
    const defs = parsePlotDefinitions({ file: "ml/dvc.yaml", text: dvcYaml });
    if (!defs.ok) throw new Error(`the hostile dvc.yaml should parse: ${JSON.stringify(defs.error)}`);
    const rows = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ [PWN(8)]: i, "lo'ss\"": 1 / (i + 1) })));
    const plots = buildPlotComparison({
      definitions: defs.value,
      head: { [`ml/${PLOT_FILE}`]: rows(20), "ml/plots/cm.csv": `actual,predicted\n${CLASS},${CLASS}\n${CLASS},</script>\n</script>,</script>\n` },
      base: { [`ml/${PLOT_FILE}`]: rows(10), "ml/plots/cm.csv": `actual,predicted\n${CLASS},</script>\n</script>,</script>\n` },
    });
    expect(plots.plots.map((p) => p.kind)).toEqual(["curve", "confusion"]);

    const { job } = await web.store.enqueue(newJob({ headRef: BRANCH }));
    await web.store.claimNext({ worker: "test:1", kinds: ["train"] });
    const prefix = `jobs/${job.id}`;
    await web.artifacts.put(`${prefix}/log.txt`, `Running stage '${STAGE}':\n${PWN(9)}\n</pre><script>window.__pwned=10</script>\n`);
    for (const name of ARTIFACTS) await web.artifacts.put(`${prefix}/results/ml/${name}`, `contents of ${name}`);
    const metrics = { [PWN(11)]: 0.9, accuracy: 0.93 };
    await web.store.transition(job.id, "running", "succeeded", {
      result: {
        ...newTrainingResult(metrics),
        head: { metrics: { "ml/metrics.json": JSON.stringify(metrics) }, params: { "ml/params.yaml": `train:\n  "${PWN(12).replaceAll('"', '\\"')}": "${PWN(13).replaceAll('"', '\\"')}"\n` } },
        logKey: `${prefix}/log.txt`,
        artifacts: [`${prefix}/log.txt`, ...ARTIFACTS.map((name) => `${prefix}/results/ml/${name}`)],
        plots,
      },
    });
    finishedUrl = web.signer.url({ kind: "job", id: job.id });

    const running = await web.store.enqueue(newJob({ key: "comment:2:0", headRef: BRANCH }));
    await web.store.claimNext({ worker: "test:2", kinds: ["train"] });
    runningId = running.job.id;
    web.live.append(runningId, "Running stage 'generate':\n");
    runningUrl = web.signer.url({ kind: "job", id: runningId });
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  /** What ran or was made that should not have been: script effects, event-handler attributes, images, dialogs. */
  async function injected(page: Page): Promise<unknown> {
    return page.evaluate(`({
      pwned: window.__pwned ?? null,
      handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => el.tagName + " " + a.name)),
      images: document.querySelectorAll("img, main script").length,
      scripts: [...document.scripts].map((s) => s.getAttribute("src") ?? s.type),
    })`);
  }

  it("shows a finished job's hostile titles, labels, classes, stages, names and branch as text, draws its charts, and downloads its oddly named files", async () => {
    const page = await chromium.context.newPage();
    const watched = watchPage(page, web.url);
    const dialogs: string[] = [];
    page.on("dialog", (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.goto(finishedUrl);
    await expect.poll(() => page.locator('#plots .chart[data-drawn="true"] svg').count()).toBe(2);

    expect(await injected(page)).toEqual({ pwned: null, handlers: [], images: 0, scripts: ["application/json", "/assets/vega.min.js", "/assets/vega-lite.min.js", "/assets/vega-interpreter.js", "/assets/job-page.js"] });
    expect(dialogs).toEqual([]);
    const captions = await page.locator("#plots figcaption").allInnerTexts();
    expect(captions[0]).toContain(TITLE);
    expect(captions[0]).toContain(PLOT_FILE);
    expect(await page.locator("#stages").innerText()).toContain(STAGE);
    expect(await page.locator("#log").innerText()).toContain("</pre><script>window.__pwned=10</script>");
    expect(await page.locator("#summary").innerText()).toContain(BRANCH);
    expect(await page.locator("#metrics").innerText()).toContain(PWN(11));
    expect(await page.locator("#params").innerText()).toContain(PWN(13));
    // The charts draw the hostile labels as SVG text: the axis title and the confusion classes.
    const svgText = await page.evaluate<string>('[...document.querySelectorAll("#plots svg")].map((s) => s.textContent).join("\\n")');
    expect(svgText).toContain(PWN(8));
    expect(svgText).toContain(CLASS);

    const links = await page.evaluate<Array<{ text: string; href: string }>>('[...document.querySelectorAll("#artifacts a")].map((a) => ({ text: a.textContent, href: a.getAttribute("href") }))');
    expect(links.map((l) => l.text)).toEqual(["log.txt", ...ARTIFACTS.map((name) => `results/ml/${name}`)]);
    for (const [i, name] of ARTIFACTS.entries()) {
      const response = await page.request.get(new URL(links[i + 1]!.href, web.url).toString());
      expect(response.status(), name).toBe(200);
      expect(await response.text()).toBe(`contents of ${name}`);
      expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''/);
    }
    expect(watched.outside).toEqual([]);
    expect(watched.problems).toEqual([]);
    await page.close();
  });

  it("keeps hostile lines and stage names inert when they arrive live", async () => {
    const page = await chromium.context.newPage();
    const watched = watchPage(page, web.url);
    await page.goto(runningUrl);
    await expect.poll(() => page.locator("#stages").innerText()).toContain("generate");
    web.live.append(runningId, `Running stage '${STAGE}':\n${PWN(14)}\n`);
    await expect.poll(() => page.locator("#log").innerText()).toContain(PWN(14));
    await expect.poll(() => page.locator("#stages").innerText()).toContain(STAGE);
    web.live.end(runningId);
    await web.store.transition(runningId, "running", "failed", { reason: `The pipeline failed: ${PWN(15)}` });
    await page.waitForSelector('#job[data-ended="true"]');
    expect(await page.locator("#status").innerText()).toContain(PWN(15));
    expect(await injected(page)).toMatchObject({ pwned: null, handlers: [], images: 0 });
    expect(watched.outside).toEqual([]);
    expect(watched.problems).toEqual([]);
    await page.close();
  });
});
