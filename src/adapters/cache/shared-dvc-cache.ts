import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, rename, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CacheConfig } from "../../config/cache-config.js";
import type { DvcCacheLayers } from "../../core/dvc/plan-dvc-cache.js";
import type { Logger } from "../../ports/logger.js";
import { removeRunFolder } from "../process/run-folders.js";

/** Which layer a job writes: the default branch's (its runs are trusted), or its pull request's own. */
export type CacheLayerRef = { readonly kind: "default" } | { readonly kind: "pull-request"; readonly number: number };

/** A job's use of its layers, until `release`. */
export interface CacheLease extends DvcCacheLayers {
  /** `owner/repo/default` or `owner/repo/pr-<n>`, for logs. */
  readonly name: string;
  release(): Promise<void>;
}

export interface GarbageReport {
  /** Layers removed (`owner/repo/layer`), oldest first. */
  readonly removed: string[];
  /** Bytes on disk of what is left. */
  readonly keptBytes: number;
}

const NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,100}$/;
const STAMP = ".used";

/**
 * The per-repository DVC cache that jobs share, in layers: `<dir>/<owner>/<repo>/default` is
 * written only by default-branch runs, `<dir>/<owner>/<repo>/pr-<n>` only by that pull request's
 * jobs, which read the default layer too (read-only). So no pull request changes what another
 * pull request or the default branch restores. Beside each layer, out of the jobs' sight, a
 * stamp file records its last use, for the garbage collection by age and size. Layers in use
 * are never collected. One bot process per cache folder.
 */
export class SharedDvcCache {
  private readonly inUse = new Map<string, number>();
  private lock: Promise<unknown> = Promise.resolve();
  private collecting: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: { config: CacheConfig; log?: Logger | undefined }) {}

  get dir(): string {
    return this.options.config.dir;
  }

  /** The layers of a job of `repo` writing `layer`; made empty when new. */
  async acquire(repo: { owner: string; name: string }, layer: CacheLayerRef): Promise<CacheLease> {
    const repoDir = this.repoDir(repo);
    const ownName = layer.kind === "default" ? "default" : `pr-${layer.number}`;
    if (layer.kind === "pull-request" && (!Number.isSafeInteger(layer.number) || layer.number < 1)) throw new Error(`not a pull request number: ${layer.number}`);
    const own = path.join(repoDir, ownName);
    const base = layer.kind === "pull-request" ? path.join(repoDir, "default") : undefined;
    const held = [own, ...(base ? [base] : [])];
    await this.exclusive(async () => {
      for (const dir of held) this.inUse.set(dir, (this.inUse.get(dir) ?? 0) + 1);
      await mkdir(repoDir, { recursive: true, mode: 0o711 });
      for (const dir of held) {
        await mkdir(dir, { mode: 0o755 }).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "EEXIST") throw e;
        });
        const info = await lstat(dir);
        if (!info.isDirectory()) throw new Error(`cache layer ${dir} is not a folder`);
        await stamp(dir);
      }
    });
    // An empty base layer: nothing to restore from (DVC writes only inside a layer; its stamp is beside it).
    const baseEmpty = base !== undefined && (await readdir(base)).length === 0;
    let released = false;
    return {
      own,
      base,
      ...(base !== undefined ? { baseEmpty } : {}),
      name: `${repo.owner}/${repo.name}/${ownName}`,
      release: async () => {
        if (released) return;
        released = true;
        await stamp(own).catch(() => undefined);
        for (const dir of held) {
          const left = (this.inUse.get(dir) ?? 1) - 1;
          if (left > 0) this.inUse.set(dir, left);
          else this.inUse.delete(dir);
        }
        void this.collectGarbage().catch((e: unknown) => this.options.log?.warn({ err: e }, "cache garbage collection failed"));
      },
    };
  }

  /**
   * Removes the layers no job used for `maxAgeMs`, then, while the cache is over `maxBytes`, the
   * least recently used ones: pull requests' layers before default branches'. Layers in use stay.
   * Runs one at a time (a call during a run starts after it).
   */
  collectGarbage(now?: number): Promise<GarbageReport> {
    const run = this.collecting.catch(() => undefined).then(() => this.collect(now ?? Date.now()));
    this.collecting = run;
    return run;
  }

  /** Removes a pull request's layer (it was closed), unless a job still uses it. */
  async removePullRequestLayer(repo: { owner: string; name: string }, number: number): Promise<boolean> {
    return this.remove(path.join(this.repoDir(repo), `pr-${number}`));
  }

  private async collect(now: number): Promise<GarbageReport> {
    const { maxAgeMs, maxBytes } = this.options.config;
    const layers = await this.listLayers();
    const removed: string[] = [];
    const kept: typeof layers = [];
    for (const layer of layers) {
      if (now - layer.usedAt > maxAgeMs && (await this.remove(layer.dir))) removed.push(layer.label);
      else kept.push(layer);
    }
    let total = kept.reduce((sum, l) => sum + l.bytes, 0);
    // Pull requests' layers first (oldest first), then default branches' (oldest first).
    const victims = [...kept].sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || a.usedAt - b.usedAt);
    for (const layer of victims) {
      if (total <= maxBytes) break;
      if (await this.remove(layer.dir)) {
        removed.push(layer.label);
        total -= layer.bytes;
      }
    }
    if (removed.length) this.options.log?.info({ removed, keptBytes: total }, "cache layers removed");
    return { removed, keptBytes: total };
  }

  private async listLayers(): Promise<Array<{ dir: string; label: string; isDefault: boolean; usedAt: number; bytes: number }>> {
    const out = [];
    for (const owner of await listDirs(this.dir)) {
      for (const repo of await listDirs(path.join(this.dir, owner))) {
        const repoDir = path.join(this.dir, owner, repo);
        for (const name of await listDirs(repoDir)) {
          const dir = path.join(repoDir, name);
          if (name.startsWith(".trash-")) {
            await removeRunFolder(dir);
            continue;
          }
          if (name !== "default" && !/^pr-\d+$/.test(name)) continue;
          const used = await lstat(`${dir}${STAMP}`).catch(() => lstat(dir));
          out.push({ dir, label: `${owner}/${repo}/${name}`, isDefault: name === "default", usedAt: used.mtimeMs, bytes: await diskUsage(dir) });
        }
      }
    }
    return out;
  }

  /** Moves a layer out of the way (unless in use), then deletes it; true when removed. */
  private async remove(dir: string): Promise<boolean> {
    const trash = `${path.dirname(dir)}/.trash-${randomBytes(6).toString("hex")}`;
    const moved = await this.exclusive(async () => {
      if (this.inUse.has(dir)) return false;
      return rename(dir, trash).then(
        () => true,
        () => false,
      );
    });
    if (!moved) return false;
    await removeRunFolder(trash);
    await removeRunFolder(`${dir}${STAMP}`);
    return true;
  }

  private repoDir(repo: { owner: string; name: string }): string {
    if (!NAME.test(repo.owner) || !NAME.test(repo.name)) throw new Error(`not a repository name: ${repo.owner}/${repo.name}`);
    return path.join(this.dir, repo.owner, repo.name);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.catch(() => undefined).then(fn);
    this.lock = next;
    return next;
  }
}

async function stamp(dir: string): Promise<void> {
  const file = `${dir}${STAMP}`;
  const now = new Date();
  await utimes(file, now, now).catch(() => writeFile(file, "", { mode: 0o600 }));
}

/** Real folders in `dir` (links and files are not followed or listed). */
async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/** Bytes on disk under `dir`, walked with lstat: links are counted, never followed; unreadable folders count as empty. */
async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length) {
    const current = pending.pop()!;
    const info = await lstat(current).catch(() => undefined);
    if (!info) continue;
    total += info.blocks * 512;
    if (!info.isDirectory()) continue;
    for (const name of await readdir(current).catch(() => [] as string[])) pending.push(path.join(current, name));
  }
  return total;
}
