import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { RunRequest } from "../../../ports/job-runner.js";
import { createRunFolder, removeRunFolder, sweepRunFolders } from "../../process/run-folders.js";
import { launchAsHostUser } from "./as-host-user.js";
import { buildBwrapArgv, type SandboxBind } from "./build-bwrap-argv.js";
import { systemView, toolchainBinds } from "./host-toolchain.js";
import type { ProcessLaunch, ProcessSandbox } from "./process-sandbox.js";
import { ensureScratchRoot } from "./scratch-root.js";

const exec = promisify(execFile);

/** Where the checkout and the scratch folders appear inside the sandbox, and who the job is there. */
export const SANDBOX_WORKSPACE = "/workspace";
export const SANDBOX_HOME = "/home/job";
const INSIDE_ID = 1000;

export interface BubblewrapOptions {
  /** The bwrap binary (found by `probeBubblewrap`). */
  readonly bwrap: string;
  /** The jobs' PATH: its folders are shown read-only. */
  readonly jobPath: string;
  /** When the bot runs as root: the unprivileged host user the sandbox runs as. */
  readonly hostUser?: { readonly uid: number; readonly gid: number } | undefined;
  /** Folders a toolchain bind must never reveal (the data folder, the bot's own folder). */
  readonly protect?: readonly string[];
  readonly scratchRoot?: string | undefined;
}

/**
 * Runs a job in a bubblewrap sandbox. Its view of the files is exactly: its checkout at
 * /workspace (read-write), a scratch HOME (/home/job) and /tmp (also /var/tmp) made for this run, the request's
 * mounts (the mirror's objects, read-only), and read-only /usr, the allowed /etc files and the
 * toolchain on the job's PATH. Nothing of the data folder, the store, other jobs or the bot's
 * files. It has its own user, PID, IPC and UTS namespaces (uid 1000 inside; outside, the bot's
 * uid or, for a root bot, the unprivileged `hostUser`: see `launchAsHostUser`), and the network
 * unless the request turns it off. The launcher is started with the job's allow-listed
 * environment and nothing else.
 */
export class BubblewrapSandbox implements ProcessSandbox {
  readonly kind = "bubblewrap" as const;

  constructor(private readonly options: BubblewrapOptions) {}

  async launch(request: RunRequest): Promise<ProcessLaunch> {
    const scratch = await createRunFolder(await ensureScratchRoot(this.options.scratchRoot), "run-");
    try {
      return await this.prepare(request, scratch);
    } catch (e) {
      await removeRunFolder(scratch);
      throw e;
    }
  }

  private async prepare(request: RunRequest, scratch: string): Promise<ProcessLaunch> {
    const { hostUser } = this.options;
    const home = path.join(scratch, "home");
    const tmp = path.join(scratch, "tmp");
    const etc = path.join(scratch, "etc");
    for (const dir of [home, tmp]) await mkdir(dir, { mode: 0o700 });
    await mkdir(etc, { mode: 0o755 });
    await writeFile(path.join(etc, "passwd"), `job:x:${INSIDE_ID}:${INSIDE_ID}:mlops-bot job:${SANDBOX_HOME}:/bin/sh\n`, { mode: 0o644 });
    await writeFile(path.join(etc, "group"), `job:x:${INSIDE_ID}:\n`, { mode: 0o644 });
    const mounts = request.mounts ?? [];
    if (hostUser) {
      // The job runs as another host user: its own folders become that user's.
      for (const dir of [home, tmp, request.source.root, ...mounts.filter((m) => m.writable).map((m) => m.host)]) await chownTree(dir, hostUser);
    }
    const system = systemView();
    const binds: SandboxBind[] = [
      { host: home, at: SANDBOX_HOME, writable: true },
      { host: tmp, at: "/tmp", writable: true },
      { host: tmp, at: "/var/tmp", writable: true }, // DVC keeps its site cache there
      ...system.binds,
      ...toolchainBinds(this.options.jobPath, this.options.protect),
      { host: path.join(etc, "passwd"), at: "/etc/passwd", writable: false },
      { host: path.join(etc, "group"), at: "/etc/group", writable: false },
      { host: request.source.root, at: SANDBOX_WORKSPACE, writable: true },
      ...mounts.map((m) => ({ host: m.host, at: m.host, writable: m.writable })),
    ];
    const asUser = hostUser ? await launchAsHostUser({ binds, user: hostUser, stageRoot: path.join(scratch, "stage") }) : undefined;
    const args = buildBwrapArgv({
      binds: asUser?.binds ?? binds,
      symlinks: system.symlinks,
      uid: INSIDE_ID,
      gid: INSIDE_ID,
      cwd: path.posix.join(SANDBOX_WORKSPACE, request.source.workdir),
      network: request.network ?? true,
      argv: request.argv,
    });
    return {
      command: asUser?.command ?? this.options.bwrap,
      args: asUser ? [...asUser.prefix, this.options.bwrap, ...args] : args,
      env: { ...request.env, HOME: SANDBOX_HOME, TMPDIR: "/tmp", USER: "job", LOGNAME: "job" },
      cwd: "/",
      cleanup: () => removeRunFolder(scratch),
    };
  }

  async sweep(): Promise<string[]> {
    return sweepRunFolders(await ensureScratchRoot(this.options.scratchRoot));
  }
}

/** Gives a folder and everything in it (links themselves, never their targets) to `user`. */
async function chownTree(dir: string, user: { uid: number; gid: number }): Promise<void> {
  await exec("chown", ["-R", "-h", "--", `${user.uid}:${user.gid}`, dir]);
}
