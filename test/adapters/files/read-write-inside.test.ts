import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readInside } from "../../../src/adapters/files/read-inside.js";
import { writeInside } from "../../../src/adapters/files/write-inside.js";
import { tempDir } from "../../helpers/temp-dir.js";

function layout() {
  const dir = tempDir();
  const root = path.join(dir, "job");
  const outside = path.join(dir, "bot-secret.txt");
  writeFileSync(outside, "planted-secret");
  mkdirSync(path.join(root, "ml", "plots"), { recursive: true });
  writeFileSync(path.join(root, "ml", "metrics.json"), '{"accuracy": 0.9}');
  return { dir, root, outside };
}

describe("readInside", () => {
  it("reads a regular file inside the folder", async () => {
    const { root } = layout();
    const read = await readInside(root, "ml/metrics.json", 1000);
    expect(read.ok && read.data.toString()).toBe('{"accuracy": 0.9}');
    expect(await readInside(root, "ml/none.json", 1000)).toMatchObject({ ok: false, missing: true });
  });

  it("never follows a link, on the way or at the end, and never leaves the folder", async () => {
    const { root, outside, dir } = layout();
    symlinkSync(outside, path.join(root, "ml", "params.yaml"));
    symlinkSync(dir, path.join(root, "ml", "up"));
    symlinkSync("../../bot-secret.txt", path.join(root, "ml", "relative.txt"));
    const results = await Promise.all(["ml/params.yaml", "ml/up/bot-secret.txt", "ml/relative.txt", "../bot-secret.txt", outside].map((rel) => readInside(root, rel, 1000)));
    expect(results.map((r) => (r.ok ? "READ" : r.why))).toEqual(["is a link", "goes through a link (ml/up)", "is a link", 'goes up with ".."', "is an absolute path"]);
  });

  it("refuses a FIFO without blocking, a folder, and a file over the limit", async () => {
    const { root } = layout();
    execFileSync("mkfifo", [path.join(root, "ml", "pipe")]);
    writeFileSync(path.join(root, "ml", "big.bin"), Buffer.alloc(2000));
    const results = await Promise.all(["ml/pipe", "ml/plots", "ml/big.bin"].map((rel) => readInside(root, rel, 1000)));
    expect(results.map((r) => (r.ok ? "READ" : r.why))).toEqual(["is not a regular file", "is a folder", "is 2000 bytes, over the limit of 1000"]);
  });
});

describe("writeInside", () => {
  it("creates new files in new folders, and never writes through a link or over a file", async () => {
    const { root, outside, dir } = layout();
    expect(await writeInside(root, "a/b/c.txt", Buffer.from("x"))).toBeUndefined();
    expect(readFileSync(path.join(root, "a/b/c.txt"), "utf8")).toBe("x");
    symlinkSync(dir, path.join(root, "out"));
    symlinkSync(outside, path.join(root, "ml", "link.txt"));
    expect(await writeInside(root, "out/evil.txt", Buffer.from("x"))).toBe("goes through a link (out)");
    expect(await writeInside(root, "ml/link.txt", Buffer.from("x"))).toBe("is there already");
    expect(await writeInside(root, "ml/metrics.json", Buffer.from("x"))).toBe("is there already");
    expect(await writeInside(root, "../escape.txt", Buffer.from("x"))).toBe('goes up with ".."');
    expect(existsSync(path.join(dir, "evil.txt"))).toBe(false);
    expect(readFileSync(outside, "utf8")).toBe("planted-secret");
  });
});
