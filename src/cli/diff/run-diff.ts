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
import { UsageError } from "../../core/errors.js";
import { EXIT_USAGE, type CliIo } from "../cli-command.js";
import type { DiffInput } from "../commands/diff.js";

const run = promisify(execFile);

/** The data check of the local repository between two versions, as markdown or JSON. */
export async function runDiff(options: DiffInput, io: CliIo): Promise<number> {
  try {
    return await diffVersions(options, io);
  } catch (e) {
    io.err(`mlops-bot diff: ${(e as Error).message}\n`);
    return e instanceof UsageError ? EXIT_USAGE : 1;
  }
}

async function diffVersions(options: DiffInput, io: CliIo): Promise<number> {
  const top = await git(io.cwd, ["rev-parse", "--show-toplevel"]).then(
    (out) => out.trim(),
    () => {
      throw new UsageError(`${io.cwd} is not inside a git repository. Run it in the repository of your ML project.`);
    },
  );
  if (options.base !== undefined) await mustExist(top, "--base", options.base);
  if (options.head !== null && options.head !== "HEAD") await mustExist(top, "--head", options.head);
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

/** A ref the user named must be a commit here; otherwise say which one and where we looked. */
async function mustExist(top: string, flag: string, ref: string): Promise<void> {
  const found = await git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).then(
    () => true,
    () => false,
  );
  if (!found) throw new UsageError(`${flag} ${JSON.stringify(ref)} is not a branch, tag or commit of the repository in ${top}. Pass one that exists (git branch -a, git tag).`);
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
