import type { RepoConfig } from "../../config/repo-config-schema.js";
import type { DoctorContext } from "../doctor-context.js";

/** The runner the repository's config chooses, when a repository is checked and its config reads. */
export async function runnerUsed(ctx: DoctorContext): Promise<RepoConfig["runner"] | undefined> {
  if (!ctx.repo || !ctx.github) return undefined;
  const config = await ctx.facts.repoConfig().catch(() => undefined);
  return config?.ok ? config.value.runner : undefined;
}
