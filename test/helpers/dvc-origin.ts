import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { JOB_PATH } from "./example-repo.js";
import { git, initRepo } from "./git-repo.js";

/** Runs the real `dvc` (the project venv's, 3.67.1) in `cwd`; returns its stdout. */
export function dvc(cwd: string, ...args: string[]): string {
  return execFileSync("dvc", args, { cwd, encoding: "utf8", env: { ...process.env, PATH: JOB_PATH, DVC_NO_ANALYTICS: "1", GIT_TERMINAL_PROMPT: "0" } });
}

/**
 * Each write gets its own whole-second mtime, later than any before. Git (built without
 * nanosecond stat checks, as Debian's is) and DVC's autostage trust a file whose size and mtime
 * second match the index: `params.yaml` going from `split: 0.2` to `0.3` within the same second
 * as the checkout would keep its old content in the commit, now and then.
 */
let mtime = Math.floor(Date.now() / 1000) + 10;

function write(dir: string, files: Record<string, string | null>): void {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (content === null) rmSync(full, { force: true });
    else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
      mtime += 1;
      utimesSync(full, mtime, mtime);
    }
  }
}

const PREPARE = `import json, shutil, yaml
p = yaml.safe_load(open("params.yaml"))
shutil.rmtree("data/prepared", ignore_errors=True)
shutil.copytree("data/raw", "data/prepared")
split = p["prepare"]["split"]
json.dump({"accuracy": round(0.9 - split / 10, 4), "loss": round(split * 2, 4)}, open("metrics.json", "w"))
`;

const PARAMS = (split: number, lr: number) => `prepare:\n  split: ${split}\n  seed: 42\ntrain:\n  lr: ${lr}\n  epochs: 10\n`;

export interface DvcOrigin {
  /** The "GitHub" repository (a work tree whose `main` is the base). */
  readonly origin: string;
  /** The DVC project inside it. */
  readonly ml: string;
  /** The default remote of the base's `ml/.dvc/config` (an absolute local folder). */
  readonly remote: string;
  readonly base: string;
  /** PR number -> head sha, each reachable through `refs/pull/<n>/head` only. */
  readonly heads: Readonly<Record<number, string>>;
  /** A folder a fork PR points its own `.dvc/config` at (holding a real manifest of its head). */
  readonly forkRemote: string;
}

/** PR numbers of the origin's scenarios. */
export const PR = { changes: 1, badLock: 2, notPushed: 3, huge: 4, fork: 5 } as const;

/**
 * A "GitHub" repository made with the real DVC CLI: `main` has a DVC project in `ml/`
 * (`dvc init --subdir`) with a tracked folder `data/raw`, a `prepare` stage (params, a folder
 * output, committed metrics) and a local default remote everything was pushed to. Pull request
 * heads, each a commit on top of `main`:
 *  1 changes: inside data/raw one file modified, one deleted, one added, one renamed; params
 *    `prepare.split` and `train.lr` changed; `dvc repro`, `dvc push`
 *  2 badLock: data/raw gains a file (pushed), params change, and `dvc.lock` is broken YAML
 *  3 notPushed: data/raw gains a file, `dvc push` forgotten
 *  4 huge: `hugeFiles` files added to data/raw, pushed
 *  5 fork: data/raw gains a file, not pushed to the remote; its `.dvc/config` points at
 *    `forkRemote`, which holds that manifest
 */
export function makeDvcOrigin(params: { dir: string; hugeFiles?: number }): DvcOrigin {
  const origin = initRepo(params.dir);
  const ml = path.join(origin, "ml");
  const remote = path.join(path.dirname(params.dir), `${path.basename(params.dir)}-remote`);
  const forkRemote = path.join(path.dirname(params.dir), `${path.basename(params.dir)}-fork-remote`);
  mkdirSync(ml, { recursive: true });
  dvc(ml, "init", "--subdir", "-q");
  dvc(ml, "config", "core.autostage", "true");
  dvc(ml, "remote", "add", "-d", "storage", remote);
  write(ml, {
    "data/raw/a.txt": "alpha\n",
    "data/raw/b.txt": "bravo\n",
    "data/raw/sub/c.txt": "charlie\n",
    "data/raw/d.txt": "delta\n",
    "params.yaml": PARAMS(0.2, 0.1),
    "prepare.py": PREPARE,
  });
  dvc(ml, "add", "-q", "data/raw");
  dvc(ml, "stage", "add", "-q", "-n", "prepare", "-p", "prepare.split", "-d", "data/raw", "-d", "prepare.py", "-o", "data/prepared", "-M", "metrics.json", "python prepare.py");
  dvc(ml, "repro", "-q");
  dvc(ml, "push", "-q");
  git(origin, "add", "-A");
  git(origin, "commit", "-q", "-m", "base");
  const base = git(origin, "rev-parse", "HEAD");

  const heads: Record<number, string> = {};
  const pr = (number: number, make: () => void): void => {
    git(origin, "checkout", "-q", "-b", `pr-${number}`, base);
    make();
    git(origin, "add", "-A");
    git(origin, "commit", "-q", "-m", `pr ${number}`);
    heads[number] = git(origin, "rev-parse", "HEAD");
    git(origin, "update-ref", `refs/pull/${number}/head`, heads[number]);
    git(origin, "checkout", "-q", "-f", "main");
    for (const out of ["data/raw", "data/prepared"]) rmSync(path.join(ml, out), { recursive: true, force: true });
    dvc(ml, "checkout", "-q", "--force");
  };

  pr(PR.changes, () => {
    write(ml, { "data/raw/a.txt": "alpha, modified\n", "data/raw/b.txt": null, "data/raw/e.txt": "echo\n", "data/raw/sub/c.txt": null, "data/raw/sub/c2.txt": "charlie\n", "params.yaml": PARAMS(0.25, 0.05) });
    dvc(ml, "add", "-q", "data/raw");
    dvc(ml, "repro", "-q");
    dvc(ml, "push", "-q");
  });
  pr(PR.badLock, () => {
    write(ml, { "data/raw/f.txt": "foxtrot\n", "params.yaml": PARAMS(0.3, 0.1) });
    dvc(ml, "add", "-q", "data/raw");
    dvc(ml, "push", "-q");
    const lock = readFileSync(path.join(ml, "dvc.lock"), "utf8").split("\n");
    lock[3] = "    cmd: [python prepare.py"; // an unclosed flow sequence on line 4
    writeFileSync(path.join(ml, "dvc.lock"), lock.join("\n"));
  });
  pr(PR.notPushed, () => {
    write(ml, { "data/raw/g.txt": "golf\n" });
    dvc(ml, "add", "-q", "data/raw");
  });
  pr(PR.huge, () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < (params.hugeFiles ?? 3000); i++) files[`data/raw/many/${String(i).padStart(5, "0")}-a-file-with-a-rather-long-name-to-fill-the-table.csv`] = `${i}\n`;
    write(ml, files);
    dvc(ml, "add", "-q", "data/raw");
    dvc(ml, "push", "-q");
  });
  pr(PR.fork, () => {
    write(ml, { "data/raw/h.txt": "hotel\n" });
    dvc(ml, "add", "-q", "data/raw");
    const hash = /md5: ([0-9a-f]{32}\.dir)/.exec(readFileSync(path.join(ml, "data/raw.dvc"), "utf8"))![1]!;
    const key = `files/md5/${hash.slice(0, 2)}/${hash.slice(2)}`;
    mkdirSync(path.dirname(path.join(forkRemote, key)), { recursive: true });
    cpSync(path.join(ml, ".dvc/cache", key), path.join(forkRemote, key));
    dvc(ml, "remote", "modify", "storage", "url", forkRemote);
  });
  return { origin, ml, remote, base, heads, forkRemote };
}
