import { lstat, rm } from "node:fs/promises";
import path from "node:path";
import { planDvcCache, type DvcCacheLayers } from "../../core/dvc/plan-dvc-cache.js";
import type { JobMount } from "../../ports/job-runner.js";
import { splitInsidePath } from "../files/inside-path.js";
import { writeInside } from "../files/write-inside.js";

export type DvcCacheSetup =
  | {
      readonly ok: true;
      /** The command to run instead of the configured one (`dvc repro --pull` reading the base layer). */
      readonly argv: string[];
      /** The layers as the runner must show them: the own layer read-write, the base read-only. */
      readonly mounts: JobMount[];
      /** The DVC project's folder in the checkout (`.` for its root). */
      readonly dvcRoot: string;
      readonly readsBase: boolean;
    }
  | { readonly ok: false; readonly why: string; /** No DVC project at all: nothing to say in the log. */ readonly noProject?: true };

/**
 * Points the DVC project of a job's checkout at its cache layers: finds the project's `.dvc`
 * folder from the pipeline's workdir upwards and writes `.dvc/config.local` there (replacing
 * whatever the commit had under that name). The checkout comes from the PR: every folder on the
 * way must be a real folder (a link is refused, never followed), and the file is created new.
 * A checkout without a DVC project gets nothing (`ok: false`, saying why).
 */
export async function configureDvcCache(params: { root: string; workdir: string; argv: readonly string[]; layers: DvcCacheLayers }): Promise<DvcCacheSetup> {
  const found = await findDvcRoot(params.root, params.workdir);
  if (!found.ok) return found;
  const plan = planDvcCache({ argv: params.argv, layers: params.layers });
  const configRel = path.posix.join(found.dir, ".dvc", "config.local");
  await rm(path.join(params.root, configRel), { recursive: true, force: true });
  const refused = await writeInside(params.root, configRel, Buffer.from(plan.configLocal));
  if (refused) return { ok: false, why: `\`${configRel}\` ${refused}` };
  const mounts: JobMount[] = [{ host: params.layers.own, writable: true }];
  if (params.layers.base !== undefined) mounts.push({ host: params.layers.base, writable: false });
  return { ok: true, argv: plan.argv, mounts, dvcRoot: found.dir, readsBase: plan.readsBase };
}

/** The nearest folder at or above `workdir` (inside the checkout) that holds a real `.dvc` folder. */
export async function findDvcRoot(root: string, workdir: string): Promise<{ ok: true; dir: string } | { ok: false; why: string; noProject?: true }> {
  const split = workdir === "." || workdir === "" ? { ok: true as const, parts: [] as string[] } : splitInsidePath(workdir);
  if (!split.ok) return { ok: false, why: `the workdir \`${workdir}\` ${split.why}` };
  // Every folder down to the workdir must be a real folder: the job runs there.
  for (let i = 1; i <= split.parts.length; i++) {
    const rel = split.parts.slice(0, i).join("/");
    const info = await lstat(path.join(root, rel)).catch(() => undefined);
    if (!info?.isDirectory()) return { ok: false, why: `\`${rel}\` is ${info?.isSymbolicLink() ? "a link" : "not a folder"} in the checkout` };
  }
  for (let i = split.parts.length; i >= 0; i--) {
    const dir = split.parts.slice(0, i).join("/") || ".";
    const info = await lstat(path.join(root, dir, ".dvc")).catch(() => undefined);
    if (!info) continue;
    const rel = path.posix.join(dir, ".dvc");
    if (info.isSymbolicLink()) return { ok: false, why: `\`${rel}\` is a link in the checkout` };
    if (!info.isDirectory()) return { ok: false, why: `\`${rel}\` is not a folder in the checkout` };
    return { ok: true, dir };
  }
  return { ok: false, why: `no DVC project (\`.dvc\` folder) at or above \`${workdir}\``, noProject: true };
}
