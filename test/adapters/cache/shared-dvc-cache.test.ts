import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SharedDvcCache } from "../../../src/adapters/cache/shared-dvc-cache.js";
import { loadCacheConfig } from "../../../src/config/cache-config.js";
import { tempDir } from "../../helpers/temp-dir.js";

const DAY = 86_400_000;
const repo = { owner: "octo", name: "ml" };

function cache(maxBytes = 1024 ** 3, maxAgeMs = 14 * DAY) {
  const dir = path.join(tempDir(), "cache");
  return { dir, cache: new SharedDvcCache({ config: { dir, maxBytes, maxAgeMs } }) };
}

/** Fills a layer with `bytes` of data and marks it last used `daysAgo`. */
function fill(layer: string, bytes: number, daysAgo: number): void {
  mkdirSync(path.join(layer, "files", "md5", "ab"), { recursive: true });
  writeFileSync(path.join(layer, "files", "md5", "ab", "cdef"), Buffer.alloc(bytes, 1));
  const when = new Date(Date.now() - daysAgo * DAY);
  utimesSync(`${layer}.used`, when, when);
}

describe("SharedDvcCache", () => {
  it("gives a pull request's job its own layer over the default branch's, and a default-branch job the default layer", async () => {
    const { dir, cache: c } = cache();
    const pr = await c.acquire(repo, { kind: "pull-request", number: 7 });
    expect(pr).toMatchObject({ own: path.join(dir, "octo/ml/pr-7"), base: path.join(dir, "octo/ml/default"), baseEmpty: true, name: "octo/ml/pr-7" });
    expect(existsSync(pr.own) && existsSync(pr.base!)).toBe(true);
    const main = await c.acquire(repo, { kind: "default" });
    expect(main).toMatchObject({ own: path.join(dir, "octo/ml/default"), base: undefined });
    expect(main).not.toHaveProperty("baseEmpty");
    // Once a default-branch run wrote into its layer, a pull request's job restores from it.
    mkdirSync(path.join(main.own, "runs"));
    const again = await c.acquire(repo, { kind: "pull-request", number: 8 });
    expect(again.baseEmpty).toBe(false);
    await again.release();
    await pr.release();
    await main.release();
    await expect(c.acquire({ owner: "..", name: "x" }, { kind: "default" })).rejects.toThrow(/not a repository name/);
    await expect(c.acquire({ owner: "a/b", name: "x" }, { kind: "default" })).rejects.toThrow(/not a repository name/);
    await expect(c.acquire(repo, { kind: "pull-request", number: -1 })).rejects.toThrow(/not a pull request number/);
  });

  it("collects layers unused for longer than the age limit, and the least recently used past the size limit, pull requests first", async () => {
    const { dir, cache: c } = cache(3 * 1024 * 1024, 14 * DAY);
    for (const [layer, ref] of [["default", { kind: "default" }], ["pr-1", { kind: "pull-request", number: 1 }], ["pr-2", { kind: "pull-request", number: 2 }], ["pr-3", { kind: "pull-request", number: 3 }]] as const) {
      await (await c.acquire(repo, ref)).release();
      void layer;
    }
    await c.collectGarbage(); // the releases' own runs
    const layer = (name: string) => path.join(dir, "octo/ml", name);
    fill(layer("default"), 1024 * 1024, 5);
    fill(layer("pr-1"), 1024 * 1024, 30); // too old
    fill(layer("pr-2"), 1024 * 1024, 3);
    fill(layer("pr-3"), 1024 * 1024, 1);
    const report = await c.collectGarbage();
    // pr-1 is too old; then 3 MiB of data (+ folders) is over 3 MiB: pr-2, the oldest pull request layer, goes; the default stays.
    expect(report.removed).toEqual(["octo/ml/pr-1", "octo/ml/pr-2"]);
    expect(existsSync(layer("pr-1")) || existsSync(`${layer("pr-1")}.used`) || existsSync(layer("pr-2"))).toBe(false);
    expect(existsSync(layer("default")) && existsSync(layer("pr-3"))).toBe(true);
    expect(report.keptBytes).toBeLessThanOrEqual(3 * 1024 * 1024);
  });

  it("never collects a layer a job is using, however old or large", async () => {
    const { dir, cache: c } = cache(1, 1);
    const lease = await c.acquire(repo, { kind: "pull-request", number: 4 });
    fill(lease.own, 4096, 100);
    fill(lease.base!, 4096, 100);
    expect((await c.collectGarbage()).removed).toEqual([]);
    await lease.release();
    await c.collectGarbage();
    expect(existsSync(path.join(dir, "octo/ml/pr-4")) || existsSync(path.join(dir, "octo/ml/default"))).toBe(false);
  });

  it("removes a hostile layer (locked folders, links out) without following a link", async () => {
    const { dir, cache: c } = cache(1024 ** 3, DAY);
    const outside = path.join(tempDir(), "precious.txt");
    writeFileSync(outside, "keep me");
    const lease = await c.acquire(repo, { kind: "pull-request", number: 9 });
    mkdirSync(path.join(lease.own, "locked", "deeper"), { recursive: true });
    writeFileSync(path.join(lease.own, "locked", "deeper", "f"), "x");
    symlinkSync(outside, path.join(lease.own, "locked", "link-to-outside"));
    symlinkSync(path.dirname(outside), path.join(lease.own, "dir-link"));
    chmodSync(path.join(lease.own, "locked", "deeper"), 0o000);
    chmodSync(path.join(lease.own, "locked"), 0o000);
    await lease.release();
    await c.collectGarbage(Date.now() + 2 * DAY);
    expect(existsSync(path.join(dir, "octo/ml/pr-9"))).toBe(false);
    expect(readFileSync(outside, "utf8")).toBe("keep me");
  });

  it("is configured by MLOPS_CACHE_DIR, MLOPS_CACHE_MAX_GB and MLOPS_CACHE_MAX_AGE_DAYS; 0 GB turns it off; a bad value names the variable", () => {
    expect(loadCacheConfig({}, "/srv/data")).toEqual({ dir: "/srv/data/cache", maxBytes: 20 * 1024 ** 3, maxAgeMs: 14 * DAY });
    expect(loadCacheConfig({ MLOPS_CACHE_DIR: "/var/cache/mlops", MLOPS_CACHE_MAX_GB: "0.5", MLOPS_CACHE_MAX_AGE_DAYS: "2" }, "/srv/data")).toEqual({
      dir: "/var/cache/mlops",
      maxBytes: 512 * 1024 ** 2,
      maxAgeMs: 2 * DAY,
    });
    expect(loadCacheConfig({ MLOPS_CACHE_MAX_GB: "0" }, "/srv/data")).toBeUndefined();
    expect(() => loadCacheConfig({ MLOPS_CACHE_MAX_GB: "lots" }, "/srv/data")).toThrow(/environment variable MLOPS_CACHE_MAX_GB: must be a number of gigabytes/);
    expect(() => loadCacheConfig({ MLOPS_CACHE_DIR: "/tmp/a;b" }, "/srv/data")).toThrow(/environment variable MLOPS_CACHE_DIR: must be a folder path without quotes/);
    expect(() => loadCacheConfig({}, "/srv/da'ta")).toThrow(/environment variable MLOPS_DATA_DIR: gives the cache folder/);
  });
});
