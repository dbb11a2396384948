import { lstat, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { RunnerError } from "../../../core/errors.js";

/**
 * The folder that holds the jobs' scratch HOME and /tmp: outside the data folder, so neither a
 * sandbox's binds nor an unsandboxed job's `~/..` lead to the store. Under the OS temp folder it
 * is made per uid and must be a real folder owned by this user (another local user could have
 * made it first, or put a link there).
 */
export async function ensureScratchRoot(dir = path.join(tmpdir(), `mlops-bot-jobs-${process.getuid?.() ?? 0}`)): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o711 });
  const info = await lstat(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0) {
    throw new RunnerError(`The jobs' scratch folder ${dir} is not a folder that only this user (uid ${uid ?? "?"}) can write to; remove it and start again.`);
  }
  return dir;
}
