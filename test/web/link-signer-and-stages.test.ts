import { describe, expect, it } from "vitest";
import { StageTracker } from "../../src/core/pipeline/track-stages.js";
import { createLinkSigner } from "../../src/web/link-signer.js";
import { LiveLogs } from "../../src/web/live-logs.js";
import { splitLogText } from "../../src/web/read-job-log.js";

describe("createLinkSigner", () => {
  const now = 1_800_000_000_000;
  const signer = createLinkSigner({ secret: "s3cret-s3cret-s3cret-s3cret-s3cret", baseUrl: "https://bot.example.com/", ttlSeconds: 86_400, now: () => now });

  it("signs a scope until its expiry, and nothing else", () => {
    const url = new URL(signer.url({ kind: "job", id: "j1" }));
    expect(url.origin + url.pathname).toBe("https://bot.example.com/jobs/j1");
    const exp = url.searchParams.get("exp");
    const sig = url.searchParams.get("sig");
    expect(Number(exp)).toBe(now / 1000 + 86_400);
    expect(signer.verify({ kind: "job", id: "j1" }, exp, sig)).toBe(true);
    expect(signer.verify({ kind: "job", id: "j2" }, exp, sig)).toBe(false);
    expect(signer.verify({ kind: "repo", owner: "j1", name: "x" }, exp, sig)).toBe(false);
    expect(signer.verify({ kind: "job", id: "j1" }, String(Number(exp) + 1), sig)).toBe(false);
    expect(signer.verify({ kind: "job", id: "j1" }, exp, null)).toBe(false);
    const later = createLinkSigner({ secret: "s3cret-s3cret-s3cret-s3cret-s3cret", baseUrl: "x", ttlSeconds: 1, now: () => now + 86_401_000 });
    expect(later.verify({ kind: "job", id: "j1" }, exp, sig)).toBe(false);
    const otherSecret = createLinkSigner({ secret: "another-secret-another-secret-xx", baseUrl: "x", ttlSeconds: 1, now: () => now });
    expect(otherSecret.verify({ kind: "job", id: "j1" }, exp, sig)).toBe(false);
  });
});

describe("StageTracker", () => {
  it("follows dvc repro's lines: running, done, skipped, failed", () => {
    const t = new StageTracker();
    for (const line of ["Stage 'generate' didn't change, skipping", "Running stage 'train':", "> python src/train.py", "Running stage 'evaluate':", "ERROR: failed to reproduce 'evaluate': failed to run: python src/evaluate.py, exited with 1"]) t.push(line);
    expect(t.snapshot()).toEqual([
      { name: "generate", state: "skipped" },
      { name: "train", state: "done" },
      { name: "evaluate", state: "failed" },
    ]);
  });
});

describe("LiveLogs", () => {
  it("numbers lines as the stored log is numbered, whatever the chunking, and cuts endless lines", () => {
    const text = `a\r\nprogress 1%\rprogress 100%\nlong ${"x".repeat(9000)}\n\nlast`;
    const live = new LiveLogs({ redact: (t) => t.replaceAll("x", "y") });
    for (let i = 0; i < text.length; i += 7) live.append("j", text.slice(i, i + 7));
    live.end("j");
    let lines: Array<{ n: number; text: string }> = [];
    live.subscribe("j", 0, (l) => (lines = [...l]));
    expect(lines).toEqual(splitLogText(text, 1, (t) => t.replaceAll("x", "y")));
    expect(lines.map((l) => l.text.length)).toEqual([1, 13, 4000, 4000, 1005, 0, 4]);
  });

  it("keeps only the last lines and says how many a late subscriber missed", () => {
    const live = new LiveLogs({ redact: (t) => t, keepLines: 3 });
    live.append("j", "1\n2\n3\n4\n5\n");
    const seen: number[] = [];
    const { missed } = live.subscribe("j", 0, (l) => seen.push(...l.map((x) => x.n)));
    expect(missed).toBe(2);
    expect(seen).toEqual([3, 4, 5]);
  });
});
