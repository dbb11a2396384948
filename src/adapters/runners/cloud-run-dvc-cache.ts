import { DVC_CACHE_KEY, REMOTE_CACHE_LIMITS, remoteCacheLayerUrl } from "../../core/dvc/plan-remote-dvc-cache.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { RunRequest } from "../../ports/job-runner.js";

/** A Cloud Run runner's remote DVC cache: the root of its layers, and how to open one as a store. */
export interface RemoteDvcCache {
  /** `gs://bucket/prefix` (a folder in tests): layers `default/<owner>/<repo>` and `pr/<owner>/<repo>/<n>`. */
  readonly root: string;
  readonly open: (url: string) => Promise<ArtifactStore>;
}

/**
 * The agent's arguments for a job's cache: DVC restores from the default branch's layer; a pull
 * request's job also gets its own layer's earlier runs. The job is given no layer to write: it
 * pushes into its run folder, and `storeCachePush` copies that into the one layer it may change.
 */
export function cacheArgs(cache: RemoteDvcCache | undefined, request: Pick<RunRequest, "remoteCache">): string[] {
  if (!cache || !request.remoteCache) return [];
  const { repo, layer } = request.remoteCache;
  const args = ["--dvc-base", remoteCacheLayerUrl(cache.root, repo, { kind: "default" })];
  if (layer.kind === "pull-request") args.push("--dvc-own", remoteCacheLayerUrl(cache.root, repo, layer));
  return args;
}

/**
 * After a run that succeeded: copies what its agent pushed (`<run>/dvc/`, written by the job, so
 * hostile: DVC's key layout only, size-capped, never over an object the layer has) into the layer
 * the job may write — its pull request's own, or the default branch's for a default-branch run —
 * with the bot's credentials. Returns a line for the log.
 */
export async function storeCachePush(p: { cache: RemoteDvcCache; request: Pick<RunRequest, "remoteCache">; artifacts: ArtifactStore; prefix: string }): Promise<string | undefined> {
  if (!p.request.remoteCache) return undefined;
  const { repo, layer } = p.request.remoteCache;
  const url = remoteCacheLayerUrl(p.cache.root, repo, layer);
  const target = await p.cache.open(url);
  const have = new Set(await target.list(""));
  const base = `${p.prefix}/dvc/`;
  let stored = 0;
  let bytes = 0;
  let refused = 0;
  for (const key of await p.artifacts.list(base)) {
    const rel = key.slice(base.length);
    if (have.has(rel)) continue;
    if (!DVC_CACHE_KEY.test(rel) || stored >= REMOTE_CACHE_LIMITS.maxObjects) {
      refused++;
      continue;
    }
    const data = await p.artifacts.get(key, { maxBytes: REMOTE_CACHE_LIMITS.perObjectBytes });
    if (!data || data.length > REMOTE_CACHE_LIMITS.perObjectBytes || bytes + data.length > REMOTE_CACHE_LIMITS.totalBytes) {
      refused++;
      continue;
    }
    await target.put(rel, data);
    stored++;
    bytes += data.length;
  }
  const which = layer.kind === "default" ? "the default branch's layer" : `pull request #${layer.number}'s layer`;
  return `DVC cache: stored ${stored} new objects (${bytes} bytes) of this run in ${which}${refused ? `; ${refused} left out (not DVC's key layout, or over the size limits)` : ""}.`;
}
