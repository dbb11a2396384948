import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffDirManifests } from "../../../src/core/dvc/diff-dir-manifests.js";
import type { DirManifest } from "../../../src/core/dvc/parse-dir-manifest.js";
import type { RawChange } from "../../../src/core/dvc/raw-change.js";

function manifest(entries: Record<string, string>, shuffle = false): DirManifest {
  const keys = Object.keys(entries).sort();
  if (shuffle) keys.reverse();
  return { relpaths: keys, hashes: keys.map((k) => entries[k]!), sizes: undefined, sorted: !shuffle || keys.length < 2 };
}

/** The obvious Map-based diff the merge join must agree with. */
function naive(a: Record<string, string>, b: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [p, h] of Object.entries(a)) {
    if (!(p in b)) out.push(`deleted d/${p}`);
    else if (b[p] !== h) out.push(`modified d/${p}`);
  }
  for (const p of Object.keys(b)) if (!(p in a)) out.push(`added d/${p}`);
  return out.sort();
}

describe("diffDirManifests", () => {
  it("agrees with a map-based diff on sorted and unsorted manifests", () => {
    const entries = fc.dictionary(fc.stringMatching(/^[a-c]{1,3}(\/[a-c]{1,2})?$/), fc.constantFrom("h1", "h2", "h3"));
    fc.assert(
      fc.property(entries, entries, fc.boolean(), (a, b, shuffle) => {
        const out: RawChange[] = [];
        diffDirManifests({ prefix: "d", dataset: "d", old: manifest(a, shuffle), new: manifest(b), out });
        expect(out.map((c) => `${c.kind} ${c.path}`).sort()).toEqual(naive(a, b));
      }),
    );
  });

  it("carries hashes and sizes", () => {
    const out: RawChange[] = [];
    const old: DirManifest = { relpaths: ["a", "b"], hashes: ["1", "2"], sizes: [10, 20], sorted: true };
    const neu: DirManifest = { relpaths: ["a", "c"], hashes: ["9", "3"], sizes: [15, 5], sorted: true };
    diffDirManifests({ prefix: "", dataset: "", old, new: neu, out });
    expect(out).toEqual([
      { kind: "modified", path: "a", isDir: false, oldHash: "1", newHash: "9", oldSize: 10, newSize: 15, dataset: "" },
      { kind: "deleted", path: "b", isDir: false, oldHash: "2", oldSize: 20, dataset: "" },
      { kind: "added", path: "c", isDir: false, newHash: "3", newSize: 5, dataset: "" },
    ]);
  });
});
