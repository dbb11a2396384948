/** What a data-check job carries: who or what asked for it, for the check run's text. */
export interface DiffInput {
  /** `pull_request.synchronize`, or `` `/diff` from @octocat ``. */
  readonly trigger: string;
}

export const DATA_CHECK = "mlops-bot/data";

/** One pull request's data checks supersede each other: a newer push makes the older one moot. */
export function diffGroup(repo: { owner: string; name: string }, pr: number): string {
  return `${repo.owner}/${repo.name}#${pr}:diff`;
}
