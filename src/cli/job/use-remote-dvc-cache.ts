import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { findDvcRoot } from "../../adapters/cache/configure-dvc-cache.js";
import { writeInside } from "../../adapters/files/write-inside.js";
import { knownSecretValues } from "../../adapters/secrets/secret-values.js";
import { createArtifactStore } from "../../adapters/stores/create-artifact-store.js";
import { DVC_CACHE_KEY, planRemoteDvcCache, REMOTE_CACHE_LIMITS } from "../../core/dvc/plan-remote-dvc-cache.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";

const exec = promisify(execFile);
const MiB = 1024 * 1024;

export interface RemoteCacheOptions {
  /** The layer DVC restores from (`dvc repro --pull`): the default branch's. */
  readonly base: string;
  /** A pull request's own layer, copied into the task's cache first (its earlier runs). */
  readonly own?: string | undefined;
}

export interface RemoteCacheSetup {
  readonly argv: string[];
  /** After a pipeline that succeeded: `dvc push --run-cache` to a folder, uploaded under `dvc/` of the run. */
  push(log: (text: string) => Promise<void>): Promise<void>;
}

/**
 * Points the job's DVC project at the remote cache (see `planRemoteDvcCache`): writes its
 * `.dvc/config.local`, and copies the pull request's own layer into the task's cache dir. Returns
 * undefined, with a note, when the checkout has no DVC project or cannot be configured.
 */
export async function useRemoteDvcCache(params: {
  root: string;
  workdir: string;
  work: string;
  argv: readonly string[];
  cache: RemoteCacheOptions;
  env: Record<string, string>;
  store: ArtifactStore;
  gcsEndpoint: string | undefined;
  notes: string[];
}): Promise<RemoteCacheSetup | undefined> {
  const found = await findDvcRoot(params.root, params.workdir);
  if (!found.ok) {
    if (!found.noProject) params.notes.push(`cache: not used: ${found.why}`);
    return undefined;
  }
  const cacheDir = path.join(params.work, "dvc-cache");
  const pushDir = path.join(params.work, "dvc-push");
  const plan = planRemoteDvcCache({ argv: params.argv, base: params.cache.base, pushDir, cacheDir, gcsEndpoint: params.gcsEndpoint });
  const configRel = path.posix.join(found.dir, ".dvc", "config.local");
  await rm(path.join(params.root, configRel), { recursive: true, force: true });
  const refused = await writeInside(params.root, configRel, Buffer.from(plan.configLocal));
  if (refused) {
    params.notes.push(`cache: not used: \`${configRel}\` ${refused}`);
    return undefined;
  }
  if (params.cache.own) {
    await mkdir(cacheDir, { recursive: true });
    const own = await createArtifactStore(params.cache.own, { gcsEndpoint: params.gcsEndpoint }, "--dvc-own");
    const copied = await copyLayer(own, cacheDir).catch((e: Error) => `nothing copied (${e.message})`);
    params.notes.push(`cache: ${copied} from this pull request's own layer`);
  }
  const cwd = path.join(params.root, params.workdir);
  return {
    argv: plan.argv,
    async push(log) {
      await log(`\n[mlops-bot job] ${plan.push.join(" ")}\n`);
      try {
        const { stdout, stderr } = await exec(plan.push[0]!, plan.push.slice(1), { cwd, env: params.env, maxBuffer: 4 * MiB });
        await log(knownSecretValues.redact(stdout + stderr));
      } catch (e) {
        await log(knownSecretValues.redact(`the push failed: ${(e as Error).message}\n`));
        return;
      }
      await log(`[mlops-bot job] ${await uploadPush(pushDir, params.store)}\n`);
    },
  };
}

/** Copies a layer's DVC objects and run-cache entries (by DVC's own key layout only) into the cache dir. */
async function copyLayer(layer: ArtifactStore, cacheDir: string): Promise<string> {
  let copied = 0;
  let bytes = 0;
  let skipped = 0;
  for (const key of await layer.list("")) {
    if (!DVC_CACHE_KEY.test(key) || copied >= REMOTE_CACHE_LIMITS.maxObjects) {
      skipped++;
      continue;
    }
    const data = await layer.get(key, { maxBytes: REMOTE_CACHE_LIMITS.perObjectBytes });
    if (!data || data.length > REMOTE_CACHE_LIMITS.perObjectBytes || bytes + data.length > REMOTE_CACHE_LIMITS.totalBytes || (await writeInside(cacheDir, key, data))) {
      skipped++;
      continue;
    }
    copied++;
    bytes += data.length;
  }
  return `${copied} objects (${bytes} bytes) copied${skipped ? `, ${skipped} left out` : ""}`;
}

/** Uploads what `dvc push` wrote to the push folder under `dvc/` of the run (DVC's key layout only). */
async function uploadPush(pushDir: string, store: ArtifactStore): Promise<string> {
  const entries = await readdir(pushDir, { recursive: true, withFileTypes: true }).catch(() => []);
  let uploaded = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const key = path.relative(pushDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (!DVC_CACHE_KEY.test(key) || uploaded >= REMOTE_CACHE_LIMITS.maxObjects) continue;
    const data = await readFile(path.join(pushDir, key));
    if (bytes + data.length > REMOTE_CACHE_LIMITS.totalBytes) continue;
    await store.put(`dvc/${key}`, data);
    uploaded++;
    bytes += data.length;
  }
  return `uploaded ${uploaded} cache objects (${bytes} bytes) for the bot to store`;
}
