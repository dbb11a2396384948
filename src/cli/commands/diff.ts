import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gitReadFiles } from "../../adapters/source/git-read-files.js";
import { createDvcRemoteStore } from "../../adapters/stores/create-dvc-remote-store.js";
import { FsArtifactStore } from "../../adapters/stores/fs-artifact-store.js";
import { buildDataCheck } from "../../core/dvc/build-data-check.js";
import { parseDvcConfig } from "../../core/dvc/parse-dvc-config.js";
import { toDvcDiffJson } from "../../core/dvc/to-dvc-diff-json.js";
import { stringifyPyJson } from "../../core/params/stringify-py-json.js";
import { toDvcValuesDiffJson } from "../../core/params/to-dvc-values-diff-json.js";
import { formatProblem, type Problem } from "../../core/problem.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { renderDataDiff } from "../../report/data/render-data-diff.js";
import { renderMetricsTable } from "../../report/train/render-metrics-table.js";
import { renderParamsTable } from "../../report/train/render-params-table.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const run = promisify(execFile);

const USAGE = `Usage: mlops-bot diff [--base REF] [--head REF | --worktree] [--markdown | --json] [--max-length N]

Compares DVC-tracked data, params and metrics of the local git repository between two versions,
with the semantics of \`dvc diff\`, \`dvc params diff\` and \`dvc metrics diff\`. DVC projects are
found anywhere in the tree (\`dvc init --subdir\`, e.g. ml/). Folders are expanded to files through
their .dir manifests, read from <dvc root>/.dvc/cache (or [cache] dir), then from the default
remote in .dvc/config when it is a local folder; a manifest found in neither is reported as not in
cache, and the rest is still reported.

Options:
  --base REF       the old version. Default: the merge-base of HEAD and the default branch
                   (origin/HEAD, else main, else master).
  --head REF       the new version. Default: HEAD, the last commit (uncommitted edits are not seen).
  --worktree       take the new version's dvc.lock, *.dvc, params and metrics files from the working
                   tree instead (after \`dvc repro\` or \`dvc add\`, before committing). Data files
                   are not re-hashed: the diff is of what DVC recorded, like the bot does on a PR.
  --markdown       print the markdown report (default).
  --json           print JSON: the typed report, and each root's \`dvc diff --json\` view.
  --max-length N   bound the markdown data section to N characters (default 60000).`;

interface Options {
  base: string | undefined;
  head: string | null;
  json: boolean;
  maxLength: number;
}

/** `mlops-bot diff`: the data check of a pull request, run on a local repository. */
export const diffCommand: CliCommand = {
  name: "diff",
  summary: "Diff DVC data (down to files), params and metrics between two git versions",
  usage: USAGE,
  async run(args, io) {
    const options = parseArgs(args);
    if (typeof options === "string") {
      io.err(`mlops-bot diff: ${options}\n\n${USAGE}\n`);
      return 2;
    }
    try {
      return await runDiff(options, io);
    } catch (e) {
      io.err(`mlops-bot diff: ${(e as Error).message}\n`);
      return 1;
    }
  },
};

function parseArgs(args: readonly string[]): Options | string {
  const options: Options = { base: undefined, head: "HEAD", json: false, maxLength: 60_000 };
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++k];
    if (flag === "--base" || flag === "--head" || flag === "--max-length") {
      const v = value();
      if (!v || (inline === undefined && v.startsWith("--"))) return `${flag} needs a value`;
      if (flag === "--base") options.base = v;
      else if (flag === "--head") options.head = v;
      else if (!/^\d+$/.test(v) || Number(v) < 100) return "--max-length needs a number of at least 100";
      else options.maxLength = Number(v);
    } else if (flag === "--worktree") options.head = null;
    else if (flag === "--json") options.json = true;
    else if (flag === "--markdown") options.json = false;
    else return `unknown option "${arg}"`;
  }
  return options;
}

async function runDiff(options: Options, io: CliIo): Promise<number> {
  const top = (await git(io.cwd, ["rev-parse", "--show-toplevel"])).trim();
  const baseRef = options.base ?? (await defaultBase(top));
  const [base, head] = await Promise.all([gitReadFiles({ cwd: top, ref: baseRef }), gitReadFiles({ cwd: top, ref: options.head })]);
  const check = await buildDataCheck({ base, head, stores: ({ roots }) => workspaceStores(top, roots) });
  const { data, params, metrics } = check;
  const problems = check.problems.map((p) => p.problem);
  const headLabel = options.head ?? "workspace";

  if (options.json) {
    const dvc = Object.fromEntries(data.roots.map((root) => [root, toDvcDiffJson(data, { root, showHash: true })]));
    // Numbers as Python prints them (big ints exact, `100000.0`), like DVC's own `--json`.
    io.out(`${stringifyPyJson({ base: baseRef, head: headLabel, data, dvc, params: toDvcValuesDiffJson(params), metrics: toDvcValuesDiffJson(metrics), problems })}\n`);
    return 0;
  }
  const out = [`## Data: ${baseRef} → ${headLabel}`, "", renderDataDiff(data, { maxLength: options.maxLength }).trimEnd(), ""];
  if (check.roots.length === 0) out.push("No DVC project found (no `.dvc/config` in either version).", "");
  out.push("## Params", "", renderParamsTable(params, { baseLabel: baseRef, headLabel }).trimEnd() || "No parameter changes.", "");
  out.push("## Metrics", "", renderMetricsTable(metrics, { baseLabel: baseRef, headLabel }).trimEnd() || "No metric changes.", "");
  if (problems.length > 0) out.push("⚠️ Problems:", ...problems.map((p) => `- ${formatProblem(p)}`), "");
  io.out(out.join("\n"));
  return 0;
}

/**
 * Each root's DVC cache (`[cache] dir` or `.dvc/cache`), then its default remote, from the
 * working tree's `.dvc/config` and `config.local` (this is the user's own checkout, so its local
 * config counts; the bot reads the base's committed config instead). Relative paths are relative
 * to the `.dvc/` folder, as DVC reads them.
 */
async function workspaceStores(top: string, roots: readonly string[]): Promise<{ stores: Map<string, ArtifactStore[]>; problems: { root: string; problem: Problem }[] }> {
  const problems: { root: string; problem: Problem }[] = [];
  const stores = new Map<string, ArtifactStore[]>();
  for (const root of roots) {
    const dvcDir = path.join(top, root, ".dvc");
    let cacheDir: string | undefined;
    let remote: { url: string; file: string } | undefined;
    for (const name of ["config", "config.local"]) {
      const text = await readFile(path.join(dvcDir, name), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      const file = path.posix.join(root, ".dvc", name);
      const parsed = parseDvcConfig({ file, text });
      if (!parsed.ok) {
        problems.push(...parsed.error.map((problem) => ({ root, problem })));
        continue;
      }
      cacheDir = parsed.value.cacheDir ?? cacheDir;
      const remoteName = parsed.value.defaultRemote;
      const url = remoteName ? parsed.value.remotes.get(remoteName) : undefined;
      if (url !== undefined) remote = { url, file };
    }
    const list: ArtifactStore[] = [new FsArtifactStore(cacheDir ? path.resolve(dvcDir, cacheDir) : path.join(dvcDir, "cache"))];
    if (remote) {
      const store = createDvcRemoteStore({ url: remote.url, relativeTo: dvcDir });
      if (store.ok) list.push(store.value);
      else problems.push({ root, problem: { file: remote.file, message: store.error } });
    }
    stores.set(root, list);
  }
  return { stores, problems };
}

async function defaultBase(top: string): Promise<string> {
  const candidates = ["origin/HEAD", "main", "origin/main", "master", "origin/master"];
  for (const ref of candidates) {
    const ok = await git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).then(
      () => true,
      () => false,
    );
    if (!ok) continue;
    return (await git(top, ["merge-base", "HEAD", ref])).trim().slice(0, 12);
  }
  throw new Error("no default branch found to compare with (tried origin/HEAD, main, master); pass --base REF");
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run("git", [...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new Error(`git ${args[0]} failed${stderr ? `: ${stderr}` : ""}`, { cause: e });
  }
}
