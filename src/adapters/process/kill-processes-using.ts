import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * Kills (SIGKILL) every process on this host that refers to one of `folders`: its working
 * directory is inside one, or its command line or environment names one (a sandbox launcher's
 * bind mounts, a job's HOME). Repeats until a pass finds nothing, so a process that forks while
 * it is being killed does not survive. Processes whose files this user cannot read are not seen
 * (only root sees other users' environments). Returns how many were killed.
 */
export async function killProcessesUsing(folders: readonly string[], rounds = 5): Promise<number> {
  if (folders.length === 0) return 0;
  let killed = 0;
  for (let round = 0; round < rounds; round++) {
    const found = await findProcesses(folders);
    if (found.length === 0) break;
    for (const pid of found) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // gone already, or not ours to kill
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return killed;
}

async function findProcesses(folders: readonly string[]): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  const out: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (await refersTo(entry, folders)) out.push(Number(entry));
  }
  return out;
}

async function refersTo(pid: string, folders: readonly string[]): Promise<boolean> {
  const inside = (p: string) => folders.some((f) => p === f || p.startsWith(`${f}/`));
  const mentions = (text: string) => folders.some((f) => text.includes(f));
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
  if (cwd !== undefined && inside(cwd.replace(/ \(deleted\)$/, ""))) return true;
  for (const file of ["cmdline", "environ"]) {
    const text = await readFile(`/proc/${pid}/${file}`, "utf8").catch(() => undefined);
    if (text !== undefined && mentions(text.replaceAll("\0", " "))) return true;
  }
  return false;
}
