import { BASE_LAYER_REMOTE } from "./plan-dvc-cache.js";

/** Which layer a remote job's cache pushes are stored in: the default branch's, or one pull request's. */
export type RemoteCacheLayer = { readonly kind: "default" } | { readonly kind: "pull-request"; readonly number: number };

/** Where a repository's layers live under the cache's root URL (`gs://bucket/prefix` or a folder). */
export function remoteCacheLayerUrl(root: string, repo: { owner: string; name: string }, layer: RemoteCacheLayer): string {
  for (const part of [repo.owner, repo.name]) if (!/^[A-Za-z0-9_.-]{1,100}$/.test(part) || /^\.{1,2}$/.test(part)) throw new Error(`not a repository name part: ${part}`);
  if (layer.kind === "pull-request" && (!Number.isSafeInteger(layer.number) || layer.number < 1)) throw new Error(`not a pull request number: ${layer.number}`);
  const base = root.replace(/\/+$/, "");
  // Pull requests' layers under `pr/`, the default branches' under `default/`: an IAM condition can tell them apart by prefix.
  return layer.kind === "default" ? `${base}/default/${repo.owner}/${repo.name}` : `${base}/pr/${repo.owner}/${repo.name}/${layer.number}`;
}

/**
 * A key of a DVC remote or cache as DVC 3 lays them out, and nothing else: an object
 * (`files/md5/ab/<30 hex>`, `.dir` for a folder's manifest) or a run-cache entry
 * (`runs/ab/<64 hex>/<64 hex>`). Anything else found where a job pushed is not copied.
 */
export const DVC_CACHE_KEY = /^(files\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}(\.dir)?|runs\/[0-9a-f]{2}\/[0-9a-f]{64}\/[0-9a-f]{64})$/;

/** What the agent copies from a pull request's own layer and uploads of a push, and what the bot stores of it. */
export const REMOTE_CACHE_LIMITS = { perObjectBytes: 256 * 1024 * 1024, totalBytes: 2048 * 1024 * 1024, maxObjects: 20_000 };

/** The DVC remote a remote job pushes its run-cache to: a folder of the task, uploaded by the agent. */
export const PUSH_REMOTE = "mlops-bot-push";

export interface RemoteDvcCachePlan {
  /** `.dvc/config.local` for the job's checkout. */
  readonly configLocal: string;
  /** The pipeline command: a plain `dvc repro` gets `--pull`, restoring from the base layer. */
  readonly argv: string[];
  /** After a pipeline that succeeded: push its run-cache and outputs to the push folder. */
  readonly push: string[];
}

/**
 * How a job that runs away from the bot (a Cloud Run task) uses the remote cache: DVC reads the
 * base layer (`base`: the default branch's, or its own for a default-branch run) as its default
 * remote, so `dvc repro --pull` restores each stage whose run-cache entry is there and pulls only
 * the outputs it needs. The job never pushes to a layer: it pushes to a folder of its own
 * (`pushDir`), which the agent uploads to the run's folder; the bot then copies it into the layer
 * the job's trust allows (see the Cloud Run runner). The cache dir is the task's own (`cacheDir`),
 * where the agent first copies a pull request's own layer. Any command other than a plain `dvc repro`
 * runs as configured, with the remotes configured but not the default.
 */
export function planRemoteDvcCache(params: { argv: readonly string[]; base: string; pushDir: string; cacheDir: string; gcsEndpoint?: string | undefined }): RemoteDvcCachePlan {
  if (params.gcsEndpoint !== undefined && !/^https?:\/\/[\w.:-]+$/.test(params.gcsEndpoint)) throw new Error(`endpoint "${params.gcsEndpoint}" cannot be written into DVC's config`);
  for (const url of [params.base, params.pushDir, params.cacheDir]) {
    if (/["'#;\r\n[\]\\]/.test(url) || !(url.startsWith("/") || url.startsWith("gs://"))) throw new Error(`cache location "${url}" cannot be written into DVC's config`);
  }
  const [tool, sub, ...rest] = params.argv;
  const repro = tool === "dvc" && sub === "repro";
  const lines = [
    "# Written by mlops-bot job for this run: the remote DVC cache (see docs/configuration.md).",
    "[cache]",
    `    dir = ${params.cacheDir}`,
    `['remote "${BASE_LAYER_REMOTE}"']`,
    `    url = ${params.base}`,
    // A Cloud Storage emulator (tests); unset, Google Cloud.
    ...(params.gcsEndpoint && params.base.startsWith("gs://") ? [`    endpointurl = ${params.gcsEndpoint}`] : []),
    `['remote "${PUSH_REMOTE}"']`,
    `    url = ${params.pushDir}`,
  ];
  if (repro) lines.push("[core]", `    remote = ${BASE_LAYER_REMOTE}`);
  return {
    configLocal: `${lines.join("\n")}\n`,
    argv: repro && !rest.includes("--pull") ? ["dvc", "repro", "--pull", ...rest] : [...params.argv],
    push: ["dvc", "push", "--run-cache", "-r", PUSH_REMOTE],
  };
}
