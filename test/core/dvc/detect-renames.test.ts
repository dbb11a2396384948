import { describe, expect, it } from "vitest";
import { detectRenames } from "../../../src/core/dvc/detect-renames.js";
import type { RawChange } from "../../../src/core/dvc/raw-change.js";

const add = (path: string, hash: string): RawChange => ({ kind: "added", path, isDir: false, newHash: hash, dataset: "d" });
const del = (path: string, hash: string): RawChange => ({ kind: "deleted", path, isDir: false, oldHash: hash, dataset: "d" });

describe("detectRenames", () => {
  it("pairs additions and deletions of one hash in key order, like dvc_data", () => {
    const out = detectRenames([add("d/z", "h"), del("d/b", "h"), add("d/y", "h"), del("d/a", "h"), del("d/c", "h"), add("d/n", "other")]);
    expect(out.map((c) => (c.kind === "renamed" ? `renamed ${c.oldPath} -> ${c.path}` : `${c.kind} ${c.path}`))).toEqual([
      "added d/n",
      "renamed d/a -> d/y",
      "renamed d/b -> d/z",
      "deleted d/c",
    ]);
  });

  it("orders keys as tuples of path parts, not as joined strings", () => {
    const out = detectRenames([add("x/a-b", "h"), add("x/a/b", "h"), del("old1", "h")]);
    expect(out.filter((c) => c.kind === "renamed").map((c) => c.path)).toEqual(["x/a/b"]);
  });
});
