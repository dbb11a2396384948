import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, chmod, lstat } from "node:fs/promises";
import path from "node:path";
import { currentProcess, isProcessAlive } from "./process-identity.js";
import { killProcessesUsing } from "./kill-processes-using.js";

const OWNER_FILE = "owner.json";

/**
 * A folder for one run (a job's checkout, a sandbox's scratch HOME and /tmp), under `root`,
 * with a note of the process that owns it beside what the job sees. When that process dies
 * without cleaning up (kill -9, a crash), `sweepRunFolders` ends whatever still uses the folder
 * and removes it.
 */
export async function createRunFolder(root: string, prefix: string): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o711 });
  const dir = await mkdtemp(path.join(root, prefix));
  await chmod(dir, 0o711);
  await writeFile(path.join(dir, OWNER_FILE), JSON.stringify(currentProcess()), { mode: 0o600 });
  return dir;
}

/** Removes a run folder and everything in it, whatever its owner left behind (unwritable folders included). */
export async function removeRunFolder(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    await makeRemovable(dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
  }
}

/** A job may leave folders without write or search permission: give them back to the owner, without following links. */
async function makeRemovable(dir: string): Promise<void> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return;
  await chmod(dir, 0o700).catch(() => undefined);
  for (const name of await readdir(dir).catch(() => [] as string[])) await makeRemovable(path.join(dir, name));
}

/**
 * Ends the leftovers of runs whose owning process is gone: kills every process still using
 * their folders, then removes the folders. Folders of live processes (this one included) are
 * left alone. Returns the folders removed.
 */
export async function sweepRunFolders(root: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const dead: string[] = [];
  for (const name of names) {
    const dir = path.join(root, name);
    const owner = await readFile(path.join(dir, OWNER_FILE), "utf8").then(
      (t) => JSON.parse(t) as unknown,
      () => undefined,
    );
    if (owner === undefined) continue; // not a run folder (or one being made right now)
    if (!isProcessAlive(owner)) dead.push(dir);
  }
  await killProcessesUsing(dead);
  for (const dir of dead) await removeRunFolder(dir);
  return dead;
}
