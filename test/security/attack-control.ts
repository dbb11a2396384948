import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { LocalProcessRunner } from "../../src/adapters/runners/local-process-runner.js";
import { NoSandbox } from "../../src/adapters/runners/sandbox/no-sandbox.js";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { JOB_PATH } from "../helpers/example-repo.js";
import { OWNER, REPO } from "../helpers/payloads.js";
import { attackPython, attackShell } from "./attack-scripts.js";
import { markedProcesses, type Lab } from "./attack-lab.js";

/**
 * The control experiment: the same attack, run as a plain process of this (root) test process
 * beside the bot under attack, as an unsandboxed bot would run it. It must escape — that is what
 * shows the attack scripts work, so that their failing in the sandbox means something. Its loot
 * stays in memory (it may hold any process's environment on this machine: never print it). Only
 * the venv it tries to poison is a stand-in, and `kill-bot` is held back (the bot is still needed).
 */
export async function runControl(lab: Lab): Promise<{ log: string; leftBehind: number[]; written: string[]; mirrorHooks: string[]; mirrorConfig: string }> {
  const dir = path.join(lab.dir, "control");
  const venv = path.join(dir, "venv");
  mkdirSync(path.join(venv, "bin"), { recursive: true });
  const sources = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(lab.originRoot, "{owner}", "{repo}") });
  const source = await sources.checkout({ repo: { owner: OWNER, name: REPO }, sha: lab.head });
  const targets = { ...lab.targets, venv };
  writeFileSync(path.join(source.dir, "ml", "attack.sh"), attackShell(targets));
  writeFileSync(path.join(source.dir, "ml", "attack.py"), attackPython(targets));
  chmodSync(dir, 0o700);
  const chunks: Buffer[] = [];
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  try {
    await new LocalProcessRunner({ sandbox: new NoSandbox() }).run({
      argv: ["sh", "attack.sh"],
      source: { root: source.dir, workdir: "ml" },
      env: { PATH: JOB_PATH, ATTACK_NO_KILL: "1" },
      timeoutMs: 120_000,
      logLimitBytes: 256 * 1024 * 1024,
      log,
      signal: new AbortController().signal,
    });
  } finally {
    await source.release();
  }
  await new Promise((r) => setTimeout(r, 500));
  const leftBehind = markedProcesses(lab.marker);
  for (const pid of leftBehind) process.kill(pid, "SIGKILL");
  const hooks = path.join(lab.targets.mirror, "hooks");
  return {
    log: Buffer.concat(chunks).toString("utf8"),
    leftBehind,
    written: filesWithMarker(lab.marker, [lab.targets.dataDir, lab.targets.botDir, path.join(venv, "bin")]),
    mirrorHooks: existsSync(hooks) ? readdirSync(hooks) : [],
    mirrorConfig: readFileSync(path.join(lab.targets.mirror, "config"), "utf8"),
  };
}

/** Files the attack managed to write outside the job (by its marker in their name), under the given folders. */
export function filesWithMarker(marker: string, folders: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.name.includes(marker)) found.push(p);
      if (e.isDirectory() && !e.isSymbolicLink()) walk(p, depth + 1);
    }
  };
  for (const folder of folders) walk(folder, 0);
  return found;
}
