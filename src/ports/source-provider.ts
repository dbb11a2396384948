export interface SourceRepo {
  readonly owner: string;
  readonly name: string;
  /** Its git URL as the code host gives it (`CodeHost.cloneUrl`); the operator's `MLOPS_CLONE_URL` template wins over it. */
  readonly cloneUrl?: string | undefined;
}

export interface PreparedSource {
  /** A clean, detached checkout of `sha`, owned by the caller until `release`. */
  readonly dir: string;
  readonly sha: string;
  /**
   * Folders outside `dir` that the checkout needs to be a working repository (the mirror's
   * objects): a sandbox shows them to the job read-only, at the same path.
   */
  readonly shared: readonly string[];
  /** An empty folder beside the checkout (not in it), removed with it: where a remote run's outputs are brought back. */
  readonly outputDir: string;
  /** A file at another commit fetched with this checkout (e.g. the base); undefined if absent. */
  readFileAt(sha: string, path: string): Promise<string | undefined>;
  /** Removes the checkout (as files: no git runs in it after the job). Safe to call twice. */
  release(): Promise<void>;
}

/** The files of one commit, read from git without a checkout. */
export interface CommitFiles {
  readonly sha: string;
  /** Every file path of the commit, sorted. */
  readonly paths: readonly string[];
  /** Each file's size in bytes (known before reading: a file too large to parse is never read). */
  readonly sizes?: ReadonlyMap<string, number>;
  /** Texts of the given paths (those that exist), in one batch read. */
  read(paths: Iterable<string>): Promise<Map<string, string>>;
}

/**
 * One file of the default branch's head as git stores it (`SourceProvider.readDefaultBranchFile`):
 * its bytes (never more than the caller's cap), absent, too large to read, or an entry that is not
 * a regular file (on the way to it or the file itself), which is never followed.
 */
export type DefaultBranchFile =
  | { readonly kind: "file"; readonly sha: string; readonly bytes: Buffer }
  | { readonly kind: "absent"; readonly sha: string }
  | { readonly kind: "too-large"; readonly sha: string; readonly size: number }
  | { readonly kind: "not-a-file"; readonly sha: string; readonly path: string; readonly entry: "symbolic link" | "submodule" | "folder" | "file" };

/** Sources at an exact commit, for jobs. */
/** Which default-branch file `readDefaultBranchFile` reads, and how. */
export interface DefaultBranchFileRequest {
  readonly repo: SourceRepo;
  readonly path: string;
  /** Bytes read at most: a larger file is `too-large`, unread. */
  readonly maxBytes: number;
  /** The default branch's name (the webhook's `repository.default_branch`); absent, the remote's `HEAD`. */
  readonly branch?: string | undefined;
  /** The branch's head when the event gives it (a push to the default branch), read without asking the remote. */
  readonly sha?: string | undefined;
  readonly token?: () => Promise<string>;
}

export interface SourceProvider {
  /**
   * The trees of commits, readable file by file without a checkout (the data check reads a few
   * files of base and head). Fetches the missing commits first, with the token for that call only.
   */
  readCommits(params: { repo: SourceRepo; shas: readonly string[]; token?: () => Promise<string> }): Promise<CommitFiles[]>;
  /**
   * The commit's files (or one folder of them, at the archive's root) as a tar stream: a build
   * context made from git, never from the bot's disk. Fetches the commit first if needed.
   */
  archive(params: { repo: SourceRepo; sha: string; folder?: string; token?: () => Promise<string> }): Promise<NodeJS.ReadableStream>;
  /**
   * A file of the repository's default branch, read from the bot's own git mirror: the branch's
   * head is asked of the remote (`branch` as the webhook names it; absent, the remote's `HEAD`),
   * unless the event gives it (`sha`: a push to the default branch), and that commit fetched if
   * the mirror lacks it. Never a pull request's commit: config comes from here only.
   */
  readDefaultBranchFile(params: DefaultBranchFileRequest): Promise<DefaultBranchFile>;
  checkout(params: {
    repo: SourceRepo;
    sha: string;
    /** Other commits to fetch alongside (the base), so their files can be read. */
    alsoFetch?: readonly string[];
    /** A short-lived token for the fetch, if the remote needs one. Used for that call only. */
    token?: () => Promise<string>;
  }): Promise<PreparedSource>;
}
