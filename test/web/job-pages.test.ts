import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredJob } from "../../src/core/jobs/job.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";
import { newJob } from "../helpers/new-job.js";
import { plotFiles, plotRun } from "../core/plots/plot-fixtures.js";
import { buildPlotComparison } from "../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../src/core/plots/parse-plot-definitions.js";
import { readEvents, SECRET_VALUE, startWebServer } from "./web-test-server.js";

let web: Awaited<ReturnType<typeof startWebServer>>;
beforeEach(async () => (web = await startWebServer()));
afterEach(() => web.close());

function plots() {
  const defs = parsePlotDefinitions({ file: "ml/dvc.yaml", text: plotRun("head")["ml/dvc.yaml"]! });
  if (!defs.ok) throw new Error("fixture");
  return buildPlotComparison({ definitions: defs.value, head: plotFiles("head"), base: plotFiles("base") });
}

async function finishedJob(): Promise<StoredJob> {
  const { job } = await web.store.enqueue(newJob());
  await web.store.claimNext({ worker: "test:1", kinds: ["train"] });
  const prefix = `jobs/${job.id}`;
  await web.artifacts.put(`${prefix}/log.txt`, `Running stage 'train':\ntoken ${SECRET_VALUE}\nRunning stage 'evaluate':\n<script>alert(1)</script>\n`);
  await web.artifacts.put(`${prefix}/results/ml/plots/roc.json`, plotFiles("head")["ml/plots/roc.json"]!);
  const result: TrainingResult = {
    outcome: "succeeded",
    durationMs: 12_000,
    headSha: job.headSha,
    overrides: [],
    head: { metrics: { "ml/metrics.json": '{"accuracy": 0.95, "<b>x</b>": 1}' }, params: { "ml/params.yaml": "train:\n  lr: 0.2\n" } },
    base: { source: "commit", ref: "main", sha: job.baseSha, metrics: { "ml/metrics.json": '{"accuracy": 0.9, "<b>x</b>": 1}' }, params: { "ml/params.yaml": "train:\n  lr: 0.1\n" } },
    artifacts: [`${prefix}/log.txt`, `${prefix}/results/ml/plots/roc.json`],
    logKey: `${prefix}/log.txt`,
    logTail: [],
    plots: plots(),
  };
  return (await web.store.transition(job.id, "running", "succeeded", { result }))!;
}

describe("job pages", () => {
  it("serves a signed job page: status in words, stages, tables, plots data, strict CSP, no outside URL", async () => {
    const job = await finishedJob();
    const response = await fetch(web.signer.url({ kind: "job", id: job.id }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain("<strong>Succeeded</strong> in 12 s.");
    expect(html).toMatch(/<code>train<\/code> <span class="stage-state">done<\/span>/);
    expect(html).toMatch(/<code>evaluate<\/code> <span class="stage-state">done<\/span>/);
    expect(html).toMatch(/<th scope="row"><code>accuracy<\/code><\/th><td>0\.9<\/td><td>0\.95<\/td><td>\+0\.05<\/td>/);
    expect(html).toContain("<code>&lt;b&gt;x&lt;/b&gt;</code>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain(SECRET_VALUE);
    expect(html).toContain("token ***");
    expect(html).toContain('<div class="chart" data-plot="0" role="img" aria-label="ROC curve (test split): base and head">');
    // Every src and href stays on this server.
    for (const [, link] of html.matchAll(/(?:src|href)="([^"]*)"/g)) expect(link).toMatch(/^\//);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("answers 404 without a valid signature for exactly that scope", async () => {
    const job = await finishedJob();
    const { sig, exp } = web.signer.sign({ kind: "job", id: job.id });
    const other = web.signer.sign({ kind: "job", id: "another-job" });
    const expired = web.signer.sign({ kind: "job", id: job.id }, Math.floor(Date.now() / 1000) - 1);
    for (const query of ["", `?exp=${exp}`, `?exp=${exp}&sig=${other.sig}`, `?exp=${exp + 1}&sig=${sig}`, `?exp=${expired.exp}&sig=${expired.sig}`, `?exp=${exp}&sig=${sig.slice(0, -2)}AA`]) {
      for (const path of [`/jobs/${job.id}`, `/jobs/${job.id}/events`, `/jobs/${job.id}/artifacts/jobs/${job.id}/log.txt`, "/repos/octo-org/ml-repo", "/repos/octo-org/ml-repo/pulls/1"]) {
        const response = await fetch(`${web.url}${path}${query}`);
        expect(response.status, `${path}${query}`).toBe(404);
        expect(await response.text()).toBe("Not found\n");
      }
    }
    expect((await fetch(`${web.url}/jobs/no-such-job?exp=${other.exp}&sig=${other.sig}`)).status).toBe(404);
  });

  it("downloads only the job's own artifacts, as attachments, the log redacted", async () => {
    const job = await finishedJob();
    const { exp, sig } = web.signer.sign({ kind: "job", id: job.id });
    const get = (key: string) => fetch(`${web.url}/jobs/${job.id}/artifacts/${key}?exp=${exp}&sig=${sig}`);
    const log = await get(`jobs/${job.id}/log.txt`);
    expect(log.status).toBe(200);
    expect(log.headers.get("content-disposition")).toMatch(/^attachment; filename="log.txt"/);
    expect(log.headers.get("content-type")).toBe("application/octet-stream");
    expect(await log.text()).toContain("token ***");
    const roc = await get(`jobs/${job.id}/results/ml/plots/roc.json`);
    expect(JSON.parse(await roc.text())).toEqual(JSON.parse(plotFiles("head")["ml/plots/roc.json"]!));
    for (const key of [`jobs/${job.id}/../../jobs.sqlite`, "jobs/other/log.txt", `jobs/${job.id}/results%2F..%2F..%2F..%2Fjobs.sqlite`]) expect((await get(key)).status, key).toBe(404);
  });

  it("streams live lines, resumes after Last-Event-ID, and ends when the job ends", async () => {
    const { job } = await web.store.enqueue(newJob());
    await web.store.claimNext({ worker: "test:1", kinds: ["train"] });
    web.live.append(job.id, "Running stage 'generate':\nline 2\n");
    const { exp, sig } = web.signer.sign({ kind: "job", id: job.id });
    const events = `${web.url}/jobs/${job.id}/events?exp=${exp}&sig=${sig}`;

    const first = await readEvents(events, {}, (e) => e.some((x) => x.event === "log" && x.id === "2") && e.some((x) => x.event === "status"));
    expect(first.filter((e) => e.event === "log").flatMap((e) => e.data as Array<[number, string]>)).toEqual([[1, "Running stage 'generate':"], [2, "line 2"]]);
    const status = first.find((e) => e.event === "status")!.data as { state: string; sections: { stages: string } };
    expect(status.state).toBe("running");
    expect(status.sections.stages).toContain('<code>generate</code> <span class="stage-state">running</span>');
    web.live.append(job.id, `line 3 ${SECRET_VALUE}\n`);

    // A reconnect resumes after the last line it had.
    web.live.append(job.id, "line 4\n");
    const resumed = readEvents(events, { "last-event-id": "2" }, (e) => e.some((x) => x.event === "end"));
    await new Promise((r) => setTimeout(r, 300));
    web.live.append(job.id, "last line");
    web.live.end(job.id);
    await web.store.transition(job.id, "running", "failed", { reason: "The pipeline failed." });
    const rest = await resumed;
    expect(rest.filter((e) => e.event === "log").flatMap((e) => e.data as Array<[number, string]>)).toEqual([[3, "line 3 ***"], [4, "line 4"], [5, "last line"]]);
    const final = rest.filter((e) => e.event === "status").at(-1)!.data as { state: string; sections: { status: string; stages: string } };
    expect(final.state).toBe("failed");
    expect(final.sections.status).toContain("<strong>Failed</strong>");
    expect(final.sections.stages).toContain("<code>generate</code> <span class=\"stage-state\">failed</span>");
    expect(rest.at(-1)).toEqual({ event: "end", id: undefined, data: { state: "failed" } });
  });

  it("lists a repository's and a PR's jobs with signed links to each", async () => {
    const job = await finishedJob();
    await web.store.enqueue(newJob({ key: "comment:2:0", pr: 2, group: "octo-org/ml-repo#2:train" }));
    const repo = await (await fetch(web.signer.url({ kind: "repo", owner: "octo-org", name: "ml-repo" }))).text();
    expect(repo.match(/<tr><td class="tone-/g)).toHaveLength(2);
    const pr = await (await fetch(web.signer.url({ kind: "pr", owner: "octo-org", name: "ml-repo", pr: 1 }))).text();
    expect(pr.match(/<tr><td class="tone-/g)).toHaveLength(1);
    const link = /href="(\/jobs\/[^"]+)"/.exec(pr)![1]!.replaceAll("&amp;", "&");
    expect(link.startsWith(`/jobs/${job.id}?exp=`)).toBe(true);
    expect((await fetch(`${web.url}${link}`)).status).toBe(200);
  });

  it("serves its own scripts (vega-interpreter made a classic script) and nothing else under /assets", async () => {
    const interpreter = await fetch(`${web.url}/assets/vega-interpreter.js`);
    expect(interpreter.status).toBe(200);
    const text = await interpreter.text();
    expect(text).toContain("globalThis.vegaInterpreter = { expressionInterpreter:");
    expect(text).not.toMatch(/^import /m);
    for (const name of ["vega.min.js", "vega-lite.min.js", "job-page.js", "job-page.css"]) expect((await fetch(`${web.url}/assets/${name}`)).status, name).toBe(200);
    for (const name of ["../package.json", "..%2Fpackage.json", "vega.js", ""]) expect((await fetch(`${web.url}/assets/${name}`)).status, name).toBe(404);
    expect((await fetch(`${web.url}/elsewhere`)).status).toBe(404);
  });
});
