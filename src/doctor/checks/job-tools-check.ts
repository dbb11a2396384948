import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";

/**
 * git for the bot itself, and on the job PATH (MLOPS_JOB_PATH) the pipeline's command (`dvc` by
 * default) and git (DVC needs it), each run once with `--version`. Only for local jobs: a
 * container's tools are in its image.
 */
export const jobToolsCheck: DoctorCheck = {
  id: "job-tools",
  title: "git and the pipeline's tools",
  async run(ctx) {
    const tried = "Ran `git --version` as the bot, and each tool local jobs need with `--version` on the job PATH.";
    if (!ctx.server) return skipped(tried, "Needs valid server settings.");
    const jobPath = ctx.server.jobPath;
    const tools = await toolsFor(ctx);
    const results = [{ where: "the bot's PATH", ...runVersion("git", process.env.PATH ?? "") }, ...tools.map((tool) => ({ where: "the job PATH", ...runVersion(tool, jobPath) }))];
    const bad = results.filter((r) => !r.ok);
    const list = results.map((r) => `${r.tool} (${r.where}): ${r.detail}`).join("\n");
    if (bad.length) {
      return failed(tried, list, `Install ${bad.map((b) => b.tool).join(" and ")} on the bot's machine, or put ${bad.length > 1 ? "their folders" : "its folder"} on MLOPS_JOB_PATH (now ${jobPath}).`);
    }
    return passed(tried, list);
  },
};

async function toolsFor(ctx: DoctorContext): Promise<string[]> {
  const config = ctx.repo && ctx.github ? await ctx.facts.repoConfig().catch(() => undefined) : undefined;
  if (config?.ok && config.value.runner !== "local") return [];
  const command = config?.ok ? config.value.pipeline.train[0]! : "dvc";
  return [...new Set([command, "git"])];
}

function runVersion(tool: string, searchPath: string): { tool: string; ok: boolean; detail: string } {
  const found = path.isAbsolute(tool) ? (isExecutable(tool) ? tool : undefined) : searchPath.split(":").filter((d) => path.isAbsolute(d)).map((d) => path.join(d, tool)).find(isExecutable);
  if (!found) return { tool, ok: false, detail: "not found" };
  const run = spawnSync(found, ["--version"], { env: { PATH: searchPath, HOME: process.env.HOME ?? "/tmp" }, encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) return { tool, ok: false, detail: `${found} --version failed: ${(run.stderr || run.error?.message || `exit ${String(run.status)}`).trim().split("\n")[0]}` };
  return { tool, ok: true, detail: `${found}, ${run.stdout.trim().split("\n")[0]}` };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
