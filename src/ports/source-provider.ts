export interface SourceRepo {
  readonly owner: string;
  readonly name: string;
}

export interface PreparedSource {
  /** A clean, detached checkout of `sha`, owned by the caller until `release`. */
  readonly dir: string;
  readonly sha: string;
  /** A file at another commit fetched with this checkout (e.g. the base); undefined if absent. */
  readFileAt(sha: string, path: string): Promise<string | undefined>;
  /** Removes the checkout. Safe to call twice. */
  release(): Promise<void>;
}

/** Sources at an exact commit, for jobs. */
export interface SourceProvider {
  /**
   * The commit's files (or one folder of them, at the archive's root) as a tar stream: a build
   * context made from git, never from the bot's disk. Fetches the commit first if needed.
   */
  archive(params: { repo: SourceRepo; sha: string; folder?: string; token?: () => Promise<string> }): Promise<NodeJS.ReadableStream>;
  checkout(params: {
    repo: SourceRepo;
    sha: string;
    /** Other commits to fetch alongside (the base), so their files can be read. */
    alsoFetch?: readonly string[];
    /** A short-lived token for the fetch, if the remote needs one. Used for that call only. */
    token?: () => Promise<string>;
  }): Promise<PreparedSource>;
}
