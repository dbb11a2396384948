import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { LOG_PIECES, LogPieceReader, logPieceKey } from "../../../src/adapters/runners/cloud-run-log-pieces.js";
import { CloudRunJobRunner } from "../../../src/adapters/runners/cloud-run-job-runner.js";
import { createLogSink } from "../../../src/adapters/runners/create-log-sink.js";
import { SecretValues } from "../../../src/adapters/secrets/secret-values.js";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { GcsArtifactStore } from "../../../src/adapters/stores/gcs-artifact-store.js";
import { LiveLogs } from "../../../src/web/live-logs.js";
import { withLiveLogs } from "../../../src/web/with-live-logs.js";
import { cloudRunClientOptions, FakeCloudRun } from "../../helpers/fake-cloud-run.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { tempDir } from "../../helpers/temp-dir.js";

const JOB = "projects/ml-project/locations/europe-west1/jobs/mlops-training";
const gcs = gcsEmulator();
let fake: FakeCloudRun | undefined;
afterEach(() => fake?.stop());

/** Waits until `check` holds: bounded by the test's timeout, not by a time of its own. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 50));
}

describe.runIf(gcs)("the Cloud Run job's live log (agent for real, Cloud Storage in fake-gcs-server, Cloud Run faked)", () => {
  it("shows the log on the job page's live feed while the execution still runs, in order, and whole at the end", async () => {
    const dir = tempDir();
    const url = gcs!.url("cloud-run-live");
    const store = GcsArtifactStore.fromUrl(url, { apiEndpoint: gcs!.endpoint });
    fake = new FakeCloudRun(JOB, { PATH: process.env.PATH, HOME: dir, MLOPS_JOB_ROOT: dir, MLOPS_GCS_ENDPOINT: gcs!.endpoint });
    const runner = new CloudRunJobRunner({ job: JOB, artifacts: store, artifactsUrl: url, pollMs: 100, clientOptions: cloudRunClientOptions() });
    mkdirSync(path.join(dir, "checkout", "ml"), { recursive: true });
    const go = path.join(dir, "go");
    const live = new LiveLogs({ redact: (t) => t });
    const seen: string[] = [];
    live.subscribe("job-1", 0, (lines) => seen.push(...lines.map((l) => l.text)));
    let ended = false;
    const handles: string[] = [];
    // The pipeline prints a line, then waits for the test to have seen it on the page's feed before it goes on.
    const running = runner
      .run({
        argv: ["sh", "-c", `echo "Running stage 'generate':"; while [ ! -e ${go} ]; do sleep 0.1; done; echo "Running stage 'train':"`],
        source: { root: path.join(dir, "checkout"), workdir: "ml" },
        env: {},
        timeoutMs: 120_000,
        logLimitBytes: 1_000_000,
        log: withLiveLogs(store, live).openWrite("jobs/job-1/log.txt"),
        signal: new AbortController().signal,
        onHandle: (h) => Promise.resolve(void handles.push(h)),
      })
      .finally(() => (ended = true));

    try {
      await until(() => seen.includes("Running stage 'generate':"));
      expect(ended).toBe(false);
      expect(existsSync(go)).toBe(false); // the pipeline cannot have ended: it waits for this file
      expect(live.stages("job-1").map((s) => s.name)).toEqual(["generate"]);
    } finally {
      writeFileSync(go, "");
    }
    const result = await running;

    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    expect(seen).toEqual(["Running stage 'generate':", "Running stage 'train':"]);
    expect((await store.get("jobs/job-1/log.txt"))?.toString()).toBe("Running stage 'generate':\nRunning stage 'train':\n");
    const { prefix } = JSON.parse(handles[0]!) as { prefix: string };
    const record = JSON.parse((await store.get(`${prefix}/completion.json`))!.toString()) as { logPieces: number };
    expect(record.logPieces).toBeGreaterThanOrEqual(2); // one piece while it waited, one after
    expect((await store.list(`${prefix}/log`)).length).toBe(record.logPieces);
  }, 120_000);

  it("reads hostile pieces in order and within limits: never a name outside the pattern, not an oversized piece, nothing past a gap until it is filled", async () => {
    const store = GcsArtifactStore.fromUrl(gcs!.url("cloud-run-hostile"), { apiEndpoint: gcs!.endpoint });
    const prefix = "runs/2026-12-01/abc";
    let text = "";
    const sink = createLogSink({ log: { write: (t: string) => void (text += t) } as never, logLimitBytes: 10_000_000 }, new SecretValues());
    const reader = new LogPieceReader({ artifacts: store, prefix, sink });
    // What the PR's code can write with the task's credentials, besides the agent's pieces.
    await store.put(`${prefix}/${logPieceKey(1)}`, "one\n");
    await store.put(`${prefix}/${logPieceKey(3)}`, "three\n"); // before 2
    await store.put(`${prefix}/log/2.txt`, "short name\n");
    await store.put(`${prefix}/log/000002.txt.bak`, "suffix\n");
    await store.put(`${prefix}/log/000002.TXT`, "upper case\n");
    await store.put(`${prefix}/log/x/000002.txt`, "nested\n");
    await store.put(`${prefix}/completion.json`, "not a log\n");
    await reader.poll();
    expect(text).toBe("one\n");
    await reader.poll();
    expect(text).toBe("one\n"); // still waiting for 2; 3 is not read ahead of it
    await store.put(`${prefix}/${logPieceKey(2)}`, "two\n");
    await store.put(`${prefix}/${logPieceKey(4)}`, Buffer.alloc(LOG_PIECES.maxPieceBytes + 10, "A"));
    await store.put(`${prefix}/${logPieceKey(5)}`, "five\n");
    await reader.poll();
    expect(text).toBe(`one\ntwo\nthree\n\n[mlops-bot: log piece 4 is over ${LOG_PIECES.maxPieceBytes} bytes, which the job agent never writes: not shown]\nfive\n`);
    await store.put(`${prefix}/${logPieceKey(3)}`, "three, rewritten\n"); // a piece is read once
    // A record that claims far more pieces than there are: a note per missing one, then the end.
    await store.put(`${prefix}/${logPieceKey(7)}`, "seven\n");
    await reader.finish(99_999_999);
    expect(text).not.toContain("rewritten");
    expect(text).toContain("\n[mlops-bot: log piece 6 of 99999 is missing]\nseven\n");
    expect(text).toContain("[mlops-bot: log pieces 28 to 99999 are missing; the log ends here]");
    expect(text).not.toMatch(/short name|suffix|upper case|nested|not a log|AAAA/);
    expect(reader.count).toBe(27);
  }, 60_000);
});

describe("the Cloud Run job's log limit", () => {
  it("keeps the log within the job's limit, at the agent and at the bot, and still ends with the run's result", async () => {
    const dir = tempDir();
    const bucket = path.join(dir, "bucket");
    fake = new FakeCloudRun(JOB, { PATH: process.env.PATH, HOME: dir, MLOPS_JOB_ROOT: dir });
    const runner = new CloudRunJobRunner({ job: JOB, artifacts: new FsArtifactStore(bucket), artifactsUrl: `file://${bucket}`, pollMs: 100, clientOptions: cloudRunClientOptions() });
    mkdirSync(path.join(dir, "checkout", "ml"), { recursive: true });
    let text = "";
    const result = await runner.run({
      argv: ["sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo \"line $i of a long log\"; i=$((i+1)); done; echo last; exit 2"],
      source: { root: path.join(dir, "checkout"), workdir: "ml" },
      env: {},
      timeoutMs: 120_000,
      logLimitBytes: 5000,
      log: new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }),
      signal: new AbortController().signal,
    });
    expect(result, result.error).toMatchObject({ outcome: "failed", exitCode: 2, logTruncated: true });
    expect(result.logTail.at(-1)).toBe("last");
    expect(text.startsWith("line 0 of a long log\nline 1 of a long log\n")).toBe(true);
    expect(text).toContain("[mlops-bot: log limit of 5000 bytes reached; the rest is not kept]");
    expect(text).not.toContain("line 1999");
    // The first 5000 bytes the pipeline printed, then the note, once: the agent's cut and the bot's are the same.
    expect(text.indexOf("[mlops-bot: log limit")).toBe(5001);
    expect(text.split("log limit of").length).toBe(2);
  }, 120_000);
});
