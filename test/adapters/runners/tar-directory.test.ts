import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractTarball } from "../../../src/adapters/files/extract-tarball.js";
import { tarDirectory } from "../../../src/adapters/runners/cloud-run-job-runner.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("tarDirectory (the source tarball a Cloud Run task unpacks)", () => {
  it("packs the checkout without .git, keeps modes, and stores a link as a link that is never followed", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "ml", "src"), { recursive: true });
    writeFileSync(path.join(dir, "ml", "params.yaml"), "train:\n  lr: 0.1\n");
    writeFileSync(path.join(dir, "ml", "src", "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
    mkdirSync(path.join(dir, ".git", "objects"), { recursive: true });
    writeFileSync(path.join(dir, ".git", "config"), "[core]\n");
    writeFileSync(path.join(dir, ".gitignore"), "data/\n");
    const secret = path.join(mkdtempSync(path.join(tempDir(), "outside-")), "secret");
    writeFileSync(secret, "not for the job");
    symlinkSync(secret, path.join(dir, "ml", "leak"));

    const archive = await tarDirectory(dir);
    const out = tempDir();
    const { notes } = await extractTarball(archive, out, { perFileBytes: 1 << 20, totalBytes: 1 << 22 });

    expect(readFileSync(path.join(out, "ml", "params.yaml"), "utf8")).toBe("train:\n  lr: 0.1\n");
    expect(readFileSync(path.join(out, ".gitignore"), "utf8")).toBe("data/\n");
    expect(existsSync(path.join(out, ".git"))).toBe(false);
    expect(existsSync(path.join(out, "ml", "leak"))).toBe(false);
    expect(notes).toEqual([`\`ml/leak\` is a symbolic link (to \`${secret}\`): not extracted`]);
    expect(statSync(path.join(out, "ml", "src", "run.sh")).mode & 0o111).not.toBe(0);
  });
});
