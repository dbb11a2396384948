import type { RepoConfig } from "../config/repo-config-schema.js";
import type { TypedOverride } from "../core/overrides/validate-overrides.js";

/**
 * What a train job carries from the moment it was asked for: the overrides, and the config read
 * from the default branch then (so a later config change or a PR cannot alter a queued job).
 */
export interface TrainInput {
  readonly overrides: readonly TypedOverride[];
  readonly config: Pick<RepoConfig, "pipeline" | "gates" | "report" | "runner" | "images" | "registry" | "sandbox">;
}

export function trainInput(params: { overrides: readonly TypedOverride[]; config: RepoConfig }): TrainInput {
  const { pipeline, gates, report, runner, images, registry, sandbox } = params.config;
  return { overrides: params.overrides, config: { pipeline, gates, report, runner, images, registry, sandbox } };
}

export const TRAIN_CHECK = "mlops-bot/train";

export function trainGroup(repo: { owner: string; name: string }, pr: number): string {
  return `${repo.owner}/${repo.name}#${pr}:train`;
}
