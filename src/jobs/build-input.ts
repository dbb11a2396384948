import type { ImageBuildPlan } from "../core/images/plan-image-builds.js";

export const BUILD_CHECK = "mlops-bot/build";

/** What a build job carries: the planned images (from the config read when it was asked for). */
export interface BuildInput {
  readonly plans: readonly ImageBuildPlan[];
  /** `https://github.com/<owner>/<repo>`, for the image's OCI source label. */
  readonly source: string;
}

/** What a build produced, one entry per image. */
export type ImageBuildOutcome =
  | { readonly name: string; readonly ok: true; readonly tags: readonly string[]; readonly digest: string; readonly sizeBytes: number; readonly durationMs: number }
  | {
      readonly name: string;
      readonly ok: false;
      readonly tags: readonly string[];
      readonly durationMs: number;
      readonly failedStep: string | undefined;
      readonly error: string;
      readonly logTail: readonly string[];
    };

export function buildGroup(repo: { owner: string; name: string }, ref: string): string {
  return `${repo.owner}/${repo.name}@${ref}:build`;
}
