import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import type { SandboxBind } from "./build-bwrap-argv.js";

/**
 * A launch of bwrap as an unprivileged host user by a bot that runs as root: in a private mount
 * namespace of its own, the folders that user could not reach (a toolchain under /root, a data
 * folder under a private parent) are first bound to stage folders it can reach, then `setpriv`
 * drops to the user (no supplementary groups, no capabilities) and execs bwrap, which binds from
 * there. Everything happens in the one process that was spawned, so killing it (and
 * `--die-with-parent`) still ends the sandbox.
 */
export interface HostUserLaunch {
  /** What to spawn, and its arguments up to (not including) the bwrap binary and its own. */
  readonly command: string;
  readonly prefix: readonly string[];
  /** The binds, with each source that had to be staged replaced by its stage folder. */
  readonly binds: readonly SandboxBind[];
}

const STAGE_SCRIPT = 'while [ "$1" != "--" ]; do mount --bind "$1" "$2" || exit 125; shift 2; done; shift; exec "$@"';

export async function launchAsHostUser(params: {
  binds: readonly SandboxBind[];
  user: { readonly uid: number; readonly gid: number };
  /** A folder the user can reach, for the stage folders (in the run's scratch folder). */
  stageRoot: string;
}): Promise<HostUserLaunch> {
  const pairs: string[] = [];
  const binds: SandboxBind[] = [];
  for (const bind of params.binds) {
    const info = await stat(bind.host).catch(() => undefined);
    if (!info?.isDirectory() || (await isReachable(bind.host, params.user))) {
      binds.push(bind);
      continue;
    }
    const stage = path.join(params.stageRoot, String(pairs.length / 2));
    await mkdir(stage, { recursive: true, mode: 0o755 });
    pairs.push(bind.host, stage);
    binds.push({ ...bind, host: stage });
  }
  const setpriv = [`--reuid=${params.user.uid}`, `--regid=${params.user.gid}`, "--clear-groups", "--inh-caps=-all", "--"];
  if (pairs.length === 0) return { command: "/usr/bin/setpriv", prefix: setpriv, binds };
  return {
    command: "/usr/bin/unshare",
    prefix: ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", STAGE_SCRIPT, "sh", ...pairs, "--", "/usr/bin/setpriv", ...setpriv],
    binds,
  };
}

/** Whether `user` may search every folder above `target` (and `target` itself when it is a folder). */
export async function isReachable(target: string, user: { uid: number; gid: number }): Promise<boolean> {
  let dir = path.resolve(target);
  const own = await stat(dir).catch(() => undefined);
  if (!own) return false;
  if (!own.isDirectory()) dir = path.dirname(dir);
  for (;;) {
    const info = await stat(dir).catch(() => undefined);
    if (!info) return false;
    const bits = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bits) === 0) return false;
    if (dir === "/") return true;
    dir = path.dirname(dir);
  }
}
