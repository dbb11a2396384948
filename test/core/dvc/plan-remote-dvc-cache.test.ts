import { describe, expect, it } from "vitest";
import { DVC_CACHE_KEY, planRemoteDvcCache, remoteCacheLayerUrl } from "../../../src/core/dvc/plan-remote-dvc-cache.js";

const repo = { owner: "octo", name: "ml" };

describe("planRemoteDvcCache (Cloud Run jobs' DVC run-cache)", () => {
  it("puts the default branch's layers and the pull requests' under prefixes an IAM condition can tell apart", () => {
    expect(remoteCacheLayerUrl("gs://b/cache/", repo, { kind: "default" })).toBe("gs://b/cache/default/octo/ml");
    expect(remoteCacheLayerUrl("gs://b/cache", repo, { kind: "pull-request", number: 12 })).toBe("gs://b/cache/pr/octo/ml/12");
    expect(() => remoteCacheLayerUrl("gs://b/cache", { owner: "..", name: "ml" }, { kind: "default" })).toThrow(/not a repository name part/);
    expect(() => remoteCacheLayerUrl("gs://b/cache", { owner: "a/b", name: "ml" }, { kind: "default" })).toThrow(/not a repository name part/);
    expect(() => remoteCacheLayerUrl("gs://b/cache", repo, { kind: "pull-request", number: 0 })).toThrow(/not a pull request number/);
  });

  it("restores a plain dvc repro from the base layer and pushes the run-cache to the task's own folder, never to a layer", () => {
    const plan = planRemoteDvcCache({ argv: ["dvc", "repro", "train"], base: "gs://b/cache/default/octo/ml", pushDir: "/tmp/job/dvc-push", cacheDir: "/tmp/job/dvc-cache" });
    expect(plan.argv).toEqual(["dvc", "repro", "--pull", "train"]);
    expect(plan.push).toEqual(["dvc", "push", "--run-cache", "-r", "mlops-bot-push"]);
    expect(plan.configLocal).toMatchInlineSnapshot(`
      "# Written by mlops-bot job for this run: the remote DVC cache (see docs/configuration.md).
      [cache]
          dir = /tmp/job/dvc-cache
      ['remote "mlops-bot-base"']
          url = gs://b/cache/default/octo/ml
      ['remote "mlops-bot-push"']
          url = /tmp/job/dvc-push
      [core]
          remote = mlops-bot-base
      "
    `);
    const other = planRemoteDvcCache({ argv: ["python", "train.py"], base: "/srv/cache/default/octo/ml", pushDir: "/tmp/p", cacheDir: "/tmp/c" });
    expect(other.argv).toEqual(["python", "train.py"]);
    expect(other.configLocal).not.toContain("[core]");
    expect(() => planRemoteDvcCache({ argv: ["dvc", "repro"], base: "gs://b/x\n[core]", pushDir: "/tmp/p", cacheDir: "/tmp/c" })).toThrow(/cannot be written into DVC's config/);
    const emulated = planRemoteDvcCache({ argv: ["dvc", "repro"], base: "gs://b/x", pushDir: "/tmp/p", cacheDir: "/tmp/c", gcsEndpoint: "http://127.0.0.1:9023" });
    expect(emulated.configLocal).toContain("    url = gs://b/x\n    endpointurl = http://127.0.0.1:9023\n");
    expect(() => planRemoteDvcCache({ argv: ["dvc", "repro"], base: "gs://b/x", pushDir: "/tmp/p", cacheDir: "/tmp/c", gcsEndpoint: "http://x\n[core]" })).toThrow(/endpoint/);
    expect(() => planRemoteDvcCache({ argv: ["dvc", "repro"], base: "s3://b/x", pushDir: "/tmp/p", cacheDir: "/tmp/c" })).toThrow(/cannot be written into DVC's config/);
  });

  it("knows DVC 3's key layout and nothing else", () => {
    for (const key of [`files/md5/0e/${"5".repeat(30)}`, `files/md5/0e/${"a".repeat(30)}.dir`, `runs/11/${"1".repeat(64)}/${"f".repeat(64)}`]) expect(DVC_CACHE_KEY.test(key), key).toBe(true);
    for (const key of ["files/md5/0e/../../x", `files/md5/0e/${"5".repeat(29)}`, `runs/11/${"1".repeat(64)}`, `x/files/md5/0e/${"5".repeat(30)}`, `files/md5/0e/${"5".repeat(30)}.dir/x`, "config"]) {
      expect(DVC_CACHE_KEY.test(key), key).toBe(false);
    }
  });
});
