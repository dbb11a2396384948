import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectOutputs } from "../../src/jobs/collect-outputs.js";
import { tempDir } from "../helpers/temp-dir.js";

const LIMITS = { perFileBytes: 100, totalBytes: 150, maxFiles: 4 };

describe("collectOutputs", () => {
  it("takes the regular files at the declared paths, and notes every link, special file and file over the limits", async () => {
    const dir = tempDir();
    const root = path.join(dir, "ml");
    mkdirSync(path.join(root, "plots", "b"), { recursive: true });
    writeFileSync(path.join(dir, "secret.txt"), "planted-secret");
    writeFileSync(path.join(root, "metrics.json"), "{}");
    writeFileSync(path.join(root, "plots", "a.csv"), "x".repeat(60));
    writeFileSync(path.join(root, "plots", "b", "b.csv"), "y".repeat(60));
    writeFileSync(path.join(root, "plots", "c.csv"), "z".repeat(60)); // over the total
    writeFileSync(path.join(root, "plots", "d.bin"), "0".repeat(101)); // over one file
    symlinkSync(path.join(dir, "secret.txt"), path.join(root, "plots", "link.csv"));
    symlinkSync(dir, path.join(root, "linked-folder"));
    execFileSync("mkfifo", [path.join(root, "plots", "fifo")]);

    const out = await collectOutputs({
      root,
      entries: ["metrics.json", "plots/", "linked-folder/", "linked-folder/secret.txt", "missing.json", "../secret.txt"],
      limits: LIMITS,
      label: (rel) => `ml/${rel}`,
    });
    expect([...out.files.keys()]).toEqual(["metrics.json", "plots/a.csv", "plots/b/b.csv"]);
    expect(out.notes).toEqual([
      "`ml/plots/fifo` is not a regular file: not collected (outputs are read only from regular files inside the job's folder)",
      "`ml/plots/link.csv` is a link: not collected (outputs are read only from regular files inside the job's folder)",
      "`ml/plots/c.csv`: not collected, over the limit of 150 bytes in all",
      "`ml/plots/d.bin` is 101 bytes, over the limit of 100: not collected (outputs are read only from regular files inside the job's folder)",
      "`ml/linked-folder` is a link: not collected (outputs are read only from regular files inside the job's folder)",
      "`ml/linked-folder/secret.txt` goes through a link: not collected (outputs are read only from regular files inside the job's folder)",
      '`ml/../secret.txt` goes up with "..": not collected',
    ]);
    expect([...out.files.values()].some((d) => d.toString().includes("planted-secret"))).toBe(false);
  });
});
