import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { RunRequest } from "../../../ports/job-runner.js";
import { createRunFolder, removeRunFolder, sweepRunFolders } from "../../process/run-folders.js";
import type { ProcessLaunch, ProcessSandbox } from "./process-sandbox.js";
import { ensureScratchRoot } from "./scratch-root.js";

/**
 * No sandbox: the job is a plain child process of the bot, with its allow-listed environment.
 * Only for a trusted single user (the CLI on your own code, or a bot with
 * MLOPS_ALLOW_UNSANDBOXED=true): the job can read whatever the bot's user can. HOME and TMPDIR
 * are the request's, or else a scratch folder per run outside the data folder.
 */
export class NoSandbox implements ProcessSandbox {
  readonly kind = "none" as const;

  constructor(private readonly options: { scratchRoot?: string } = {}) {}

  async launch(request: RunRequest): Promise<ProcessLaunch> {
    const [command = "", ...args] = request.argv;
    const cwd = path.join(request.source.root, request.source.workdir);
    if (request.env.HOME && request.env.TMPDIR) return { command, args, env: { ...request.env }, cwd, cleanup: () => Promise.resolve() };
    const scratch = await createRunFolder(await ensureScratchRoot(this.options.scratchRoot), "run-");
    const home = path.join(scratch, "home");
    const tmp = path.join(scratch, "tmp");
    await mkdir(home, { mode: 0o700 });
    await mkdir(tmp, { mode: 0o700 });
    return { command, args, env: { HOME: home, TMPDIR: tmp, ...request.env }, cwd, cleanup: () => removeRunFolder(scratch) };
  }

  async sweep(): Promise<string[]> {
    return sweepRunFolders(await ensureScratchRoot(this.options.scratchRoot));
  }
}
