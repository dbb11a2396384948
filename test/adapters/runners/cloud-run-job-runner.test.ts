import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { CloudRunJobRunner } from "../../../src/adapters/runners/cloud-run-job-runner.js";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import type { RunRequest } from "../../../src/ports/job-runner.js";
import { cloudRunClientOptions, FakeCloudRun } from "../../helpers/fake-cloud-run.js";
import { tempDir } from "../../helpers/temp-dir.js";

const JOB = "projects/ml-project/locations/europe-west1/jobs/mlops-training";
let fake: FakeCloudRun | undefined;
afterEach(() => fake?.stop());

function setup() {
  const dir = tempDir();
  const bucket = path.join(dir, "bucket");
  fake = new FakeCloudRun(JOB, { PATH: process.env.PATH, HOME: dir, MLOPS_JOB_ROOT: dir });
  const runner = new CloudRunJobRunner({
    job: JOB,
    artifacts: new FsArtifactStore(bucket),
    artifactsUrl: pathToFileURL(bucket).href,
    pollMs: 50,
    clientOptions: cloudRunClientOptions(),
  });
  const checkout = path.join(dir, "checkout");
  writeFileSync(path.join(dir, "placeholder"), "");
  return { dir, runner, checkout, fake };
}

function request(checkout: string, overrides: Partial<RunRequest> = {}): RunRequest & { logFile: string; outputDir: string } {
  const logFile = `${checkout}.log`;
  const outputDir = `${checkout}.out`;
  mkdirSync(outputDir, { recursive: true });
  return {
    outputDir,
    argv: ["sh", "-c", "echo training; mkdir -p plots; echo '{\"accuracy\": 0.81}' > metrics.json; echo x,y > plots/roc.csv"],
    source: { root: checkout, workdir: "ml" },
    env: { PATH: "/ignored", HOME: "/ignored", DVC_NO_ANALYTICS: "1" },
    timeoutMs: 60_000,
    logLimitBytes: 1_000_000,
    log: createWriteStream(logFile),
    signal: new AbortController().signal,
    collect: ["metrics.json", "plots/"],
    logFile,
    ...overrides,
  };
}

function checkoutWith(dir: string): string {
  const checkout = path.join(dir, "checkout");
  for (const [file, text] of Object.entries({ "ml/params.yaml": "seed: 1\n", "README.md": "x\n" })) {
    const full = path.join(checkout, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return checkout;
}

describe("CloudRunJobRunner (Cloud Run Admin API v2 over REST, faked; the job agent runs for real)", () => {
  it("uploads the checkout, runs the job with per-run overrides, and brings back log and results", async () => {
    const { dir, runner, fake } = setup();
    const checkout = checkoutWith(dir);
    const handles: string[] = [];
    const req = request(checkout, { onHandle: (h) => Promise.resolve(void handles.push(h)) });
    const result = await runner.run(req);

    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    const body = fake.runs[0]!.body;
    const override = body.overrides.containerOverrides[0];
    expect(override.args.slice(0, 2)).toEqual(["mlops-bot", "job"]);
    expect(override.args).toEqual(expect.arrayContaining(["--workdir", "ml", "--timeout", "60", "--collect", "metrics.json", "--collect", "plots/", "--env", "DVC_NO_ANALYTICS", "--"]));
    expect(override.env).toEqual([{ name: "DVC_NO_ANALYTICS", value: "1" }]); // never the host's PATH or HOME
    expect(body.overrides.taskCount).toBe(1);
    expect(body.overrides.timeout).toBe("360s");
    expect(JSON.parse(handles[0]!)).toMatchObject({ execution: `${JOB}/executions/train-1` });
    expect(result.outputRoot).toBe(req.outputDir);
    expect(JSON.parse(readFileSync(path.join(req.outputDir, "metrics.json"), "utf8"))).toEqual({ accuracy: 0.81 });
    expect(readFileSync(path.join(req.outputDir, "plots/roc.csv"), "utf8")).toBe("x,y\n");
    expect(readFileSync(req.logFile, "utf8")).toBe("training\n");
  }, 60_000);

  it("reports a failing pipeline from the completion record, with its last lines", async () => {
    const { dir, runner } = setup();
    const result = await runner.run(request(checkoutWith(dir), { argv: ["sh", "-c", "echo stage train; echo boom; exit 3"] }));
    expect(result).toMatchObject({ outcome: "failed", exitCode: 3, logTail: ["stage train", "boom"] });
  }, 60_000);

  it("ends as timed_out when the pipeline runs past its timeout inside the task", async () => {
    const { dir, runner } = setup();
    const result = await runner.run(request(checkoutWith(dir), { argv: ["sleep", "30"], timeoutMs: 1000 }));
    expect(result.outcome).toBe("timed_out");
  }, 60_000);

  it("cancels the execution when the job is cancelled", async () => {
    const { dir, runner, fake } = setup();
    const controller = new AbortController();
    const handles: string[] = [];
    const running = runner.run(request(checkoutWith(dir), { argv: ["sleep", "30"], signal: controller.signal, onHandle: (h) => Promise.resolve(void handles.push(h)) }));
    while (handles.length === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const result = await running;
    expect(result.outcome).toBe("cancelled");
    expect(fake.cancels).toEqual([`${JOB}/executions/train-1`]);
  }, 60_000);

  it("fails with the execution's message when the task dies without a completion record", async () => {
    const { dir, runner, fake } = setup();
    fake.nextRunFails = { message: "Task mlops-training-abc-task0 failed: the container ran out of memory." };
    const result = await runner.run(request(checkoutWith(dir)));
    expect(result.outcome).toBe("failed");
    expect(result.error).toContain("the container ran out of memory");
    fake.nextRunFails = { message: "Task exceeded its timeout of 360s." };
    expect((await runner.run(request(checkoutWith(dir)))).outcome).toBe("timed_out");
  }, 60_000);

  it("follows an execution started before a restart, from its stored handle, without starting another", async () => {
    const { dir, runner, fake } = setup();
    const handles: string[] = [];
    const first = runner.run(request(checkoutWith(dir), { argv: ["sh", "-c", "sleep 1; echo '{\"accuracy\": 0.7}' > metrics.json"], onHandle: (h) => Promise.resolve(void handles.push(h)) }));
    while (handles.length === 0) await new Promise((r) => setTimeout(r, 20));
    // A second bot process picks the run up from the handle while the first is still waiting.
    const resumedCheckout = path.join(dir, "resumed");
    mkdirSync(path.join(resumedCheckout, "ml"), { recursive: true });
    const resumedRequest = request(resumedCheckout);
    const resumed = await runner.run({ ...resumedRequest, resume: handles[0] });
    await first;
    expect(resumed.outcome).toBe("succeeded");
    expect(fake.runs).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(resumedRequest.outputDir, "metrics.json"), "utf8"))).toEqual({ accuracy: 0.7 });
  }, 60_000);

  it("brings results back into its own folder, never through a link the PR put in the checkout, and passes the job only its variables", async () => {
    const { dir, runner } = setup();
    const checkout = checkoutWith(dir);
    const outside = path.join(dir, "outside");
    mkdirSync(outside);
    symlinkSync(outside, path.join(checkout, "ml", "plots"));
    const req = request(checkout, {
      argv: ["sh", "-c", "env; rm -f plots; mkdir -p plots; echo x,y > plots/roc.csv; ln -s /etc/passwd metrics.json"],
      env: { PATH: "/ignored", HOME: "/ignored", DVC_NO_ANALYTICS: "1", MINE: "yes" },
    });
    expect((await runner.run(req)).outcome).toBe("succeeded");
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(path.join(req.outputDir, "plots/roc.csv"), "utf8")).toBe("x,y\n");
    expect(existsSync(path.join(req.outputDir, "metrics.json"))).toBe(false);
    const log = readFileSync(req.logFile, "utf8");
    expect(log).toContain("- outputs: `metrics.json` is a link: not collected");
    expect(log).toContain("- source: `ml/plots` is a symbolic link (to `" + outside + "`): not extracted");
    expect(log).toContain("MINE=yes");
    expect(log).not.toMatch(/^MLOPS_JOB_ROOT=/m); // the agent's own variable, not the job's
  }, 60_000);

  it("fails, saying what is wrong, when the completion record or the stored handle is damaged", async () => {
    const { dir, runner, fake } = setup();
    const handles: string[] = [];
    expect((await runner.run(request(checkoutWith(dir), { onHandle: (h) => Promise.resolve(void handles.push(h)) }))).outcome).toBe("succeeded");
    const { prefix } = JSON.parse(handles[0]!) as { prefix: string };
    writeFileSync(path.join(dir, "bucket", prefix, "completion.json"), JSON.stringify({ outcome: "succeeded", exitCode: "zero" }));
    const again = await runner.run({ ...request(checkoutWith(dir)), resume: handles[0] });
    expect(again.outcome).toBe("failed");
    expect(again.error).toMatch(/completion\.json is not valid: .*\(at `exitCode`\)/);

    for (const handle of ["{not json", JSON.stringify({ execution: `${JOB}/executions/train-1`, prefix: "../../etc" }), JSON.stringify({ prefix })]) {
      const req = request(checkoutWith(dir));
      const result = await runner.run({ ...req, resume: handle });
      await finished(req.log);
      expect(result).toMatchObject({ outcome: "failed", error: expect.stringContaining("cannot be followed") });
    }
    expect(fake.runs).toHaveLength(1);
  }, 60_000);
});
