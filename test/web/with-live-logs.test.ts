import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { redact } from "../../src/core/redact.js";
import { createJobPages } from "../../src/web/create-job-pages.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("createJobPages", () => {
  it("feeds a job's log to its live feed as the runner writes it, redacted live, stored as written", async () => {
    const dir = tempDir();
    const pages = createJobPages({ web: undefined, store: undefined as never, artifacts: new FsArtifactStore(dir), redact: (text) => redact(text, ["ghs_secret-token-123"]) });
    expect(pages.handler).toBeUndefined();
    const log = pages.artifacts.openWrite("jobs/j1/log.txt");
    const seen: string[] = [];
    let ended = false;
    log.write(Buffer.from("Running stage 'train':\ntoken ghs_secret-token-123\npart"));
    pages.live.subscribe("j1", 0, (lines, end) => {
      seen.push(...lines.map((l) => l.text));
      ended ||= end;
    });
    expect(seen).toEqual(["Running stage 'train':", "token ***"]);
    expect(pages.live.stages("j1")).toEqual([{ name: "train", state: "running" }]);
    await new Promise<void>((resolve) => log.end("ial line é", resolve));
    expect(seen).toEqual(["Running stage 'train':", "token ***", "partial line é"]);
    expect(ended).toBe(true);
    expect(readFileSync(path.join(dir, "jobs/j1/log.txt"), "utf8")).toBe("Running stage 'train':\ntoken ghs_secret-token-123\npartial line é");
    // Other keys are not tee'd.
    await new Promise<void>((resolve) => pages.artifacts.openWrite("jobs/j1/results/x.txt").end("x", resolve));
    expect(pages.live.has("jobs/j1/results/x.txt")).toBe(false);
  });
});
