import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../core/limits/parse-limits.js";
import { tooLarge } from "../core/limits/check-file-size.js";
import type { Problem } from "../core/problem.js";
import { err, type Result } from "../core/result.js";
import type { CodeHost } from "../ports/code-host.js";
import type { DefaultBranchFile, SourceProvider } from "../ports/source-provider.js";
import { parseRepoConfig } from "./parse-repo-config.js";
import { REPO_CONFIG_PATH, type RepoConfig } from "./repo-config-schema.js";

/** Where a repository's config comes from: the bot's own git mirror, at the default branch's head. */
export interface RepoConfigSource {
  /** The repository (its name, git URL and a token for the fetch); no API call is made. */
  readonly host: Pick<CodeHost, "owner" | "repo" | "cloneUrl" | "gitToken">;
  readonly sources: Pick<SourceProvider, "readDefaultBranchFile">;
  /** The default branch's name from the webhook (`repository.default_branch`); absent, the remote's `HEAD`. */
  readonly defaultBranch?: string | undefined;
  /** The default branch's head when the event itself says it (a push to it: `after`), read without asking the remote. */
  readonly headSha?: string | undefined;
}

/**
 * The repository's config, read from the default branch only, so a pull request can never
 * change what the bot runs or who may run it. Read with git from the bot's mirror (no contents
 * API call): a regular file of at most the repo config's byte cap, never through a link; a missing
 * file means every default, as before. Parsed by the bounded parser (`parseRepoConfig`).
 */
export async function loadRepoConfig(source: RepoConfigSource, limits: ParseLimits = DEFAULT_PARSE_LIMITS): Promise<Result<RepoConfig, Problem[]>> {
  const { host } = source;
  const file = await source.sources.readDefaultBranchFile({
    repo: { owner: host.owner, name: host.repo, cloneUrl: host.cloneUrl() },
    path: REPO_CONFIG_PATH,
    maxBytes: limits.maxBytes["repo-config"],
    branch: source.defaultBranch,
    sha: source.headSha,
    token: () => host.gitToken(),
  });
  const text = configText(file, limits);
  return typeof text === "object" ? err([text]) : parseRepoConfig(text, REPO_CONFIG_PATH, limits);
}

/** The file's text (undefined when absent), or the problem that kept it from being read. */
function configText(file: DefaultBranchFile, limits: ParseLimits): string | undefined | Problem {
  switch (file.kind) {
    case "absent":
      return undefined;
    case "too-large":
      return tooLarge({ kind: "repo-config", file: REPO_CONFIG_PATH, cap: limits.maxBytes["repo-config"], bytes: file.size });
    case "not-a-file":
      return notAFile(file);
    case "file":
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(file.bytes);
      } catch {
        return { file: REPO_CONFIG_PATH, message: `is not UTF-8 text on the default branch (${file.sha.slice(0, 7)}), so it was not read: save it as UTF-8` };
      }
  }
}

function notAFile(file: Extract<DefaultBranchFile, { kind: "not-a-file" }>): Problem {
  const at = `on the default branch (${file.sha.slice(0, 7)})`;
  const unfollowed = file.entry === "symbolic link" ? " (the bot never follows links)" : "";
  if (file.path === REPO_CONFIG_PATH) {
    return { file: REPO_CONFIG_PATH, message: `is a ${file.entry} ${at}, not a regular file, so it was not read${unfollowed}: commit the config itself as a regular file at this path` };
  }
  return { file: REPO_CONFIG_PATH, message: `was not read: \`${file.path}\` is a ${file.entry} ${at}, not a folder${unfollowed}: make \`${file.path}\` a folder holding the config file` };
}
