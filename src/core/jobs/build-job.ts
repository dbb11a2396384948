import { z } from "zod";
import { imageBuildOutcomeSchema } from "../images/image-build-outcome.js";
import type { ImageBuildPlan } from "../images/plan-image-builds.js";

/** A `build` job: its stored input and result, and its identity on GitHub. */
export const BUILD_CHECK = "mlops-bot/build";

const imageBuildPlanSchema = z.object({
  name: z.string().min(1),
  context: z.string(),
  dockerfile: z.string().min(1),
  buildArgs: z.record(z.string(), z.string()),
  tags: z.array(z.string()).min(1).readonly(),
}) satisfies z.ZodType<ImageBuildPlan>;

/** What a build job carries: the planned images (from the config read when it was asked for). */
export const buildInputSchema = z.object({
  plans: z.array(imageBuildPlanSchema).readonly(),
  /** The repository's web address, for the image's OCI source label. */
  source: z.string(),
});
export type BuildInput = z.output<typeof buildInputSchema>;

/** What a build produced, one entry per image. */
export const buildResultSchema = z.object({ outcomes: z.array(imageBuildOutcomeSchema).readonly() });
export type BuildResult = z.output<typeof buildResultSchema>;

/** Builds of one pull request (`pr-12`) or branch supersede each other. */
export function buildGroup(repo: { owner: string; name: string }, ref: string): string {
  return `${repo.owner}/${repo.name}@${ref}:build`;
}
