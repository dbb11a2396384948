/**
 * The kinds of file the bot parses that come from a repository (or from a job it ran), each with
 * its own byte cap: a file over its cap is not parsed at all, and the problem names the cap.
 */
export const FILE_KINDS = ["params", "metrics", "dvc-yaml", "dvc-lock", "dvc-file", "dir-manifest", "dvc-config", "repo-config", "backlog", "pr-body", "plots", "comment"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** What one parse may cost: bytes per kind, nesting depth, YAML aliases and values after aliases. */
export interface ParseLimits {
  /** UTF-8 bytes of the text, per kind. */
  readonly maxBytes: Readonly<Record<FileKind, number>>;
  /** Nesting of mappings and lists (YAML, JSON, TOML), counted from the top level (1). */
  readonly maxDepth: number;
  /** Alias nodes (`*name`) in one YAML document. */
  readonly maxAliases: number;
  /** Values in one document once its aliases are expanded (what a reader of the data walks). */
  readonly maxNodes: number;
  /** Lines of a backlog issue body (absent: `BACKLOG_SHAPE_LIMITS.maxLines`, 2,500). */
  readonly maxBacklogLines?: number;
}

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * The defaults, documented in docs/configuration.md ("Limits on repository files"). Manifests
 * get the most room: a `.dir` manifest lists every file of a folder (about 80 bytes each).
 */
export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxBytes: {
    params: 1 * MIB,
    metrics: 1 * MIB,
    "dvc-yaml": 1 * MIB,
    "dvc-lock": 8 * MIB,
    "dvc-file": 1 * MIB,
    "dir-manifest": 256 * MIB,
    "dvc-config": 64 * KIB,
    "repo-config": 256 * KIB,
    backlog: 256 * KIB,
    // GitHub takes pull request bodies up to 65,536 characters: at most 4 bytes each.
    "pr-body": 256 * KIB,
    // A run's plot files, base and head together (each data file is also capped: core/plots/plot-limits.ts).
    plots: 64 * MIB,
    // GitHub takes comments up to 65,536 characters: at most 4 bytes each.
    comment: 256 * KIB,
  },
  maxDepth: 64,
  maxAliases: 100,
  maxNodes: 1_000_000,
};

/** What each kind is called in a problem: "params file", "dvc.lock"... */
export const FILE_KIND_NAMES: Readonly<Record<FileKind, string>> = {
  params: "params file",
  metrics: "metrics file",
  "dvc-yaml": "dvc.yaml",
  "dvc-lock": "dvc.lock",
  "dvc-file": ".dvc file",
  "dir-manifest": ".dir manifest",
  "dvc-config": "DVC config",
  "repo-config": "bot config",
  backlog: "backlog issue body",
  "pr-body": "pull request body",
  plots: "run's plot files",
  comment: "comment",
};

/** `1048576` -> `1 MiB`, `65536` -> `64 KiB`, `1000` -> `1000 bytes`. */
export function formatByteLimit(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= KIB && bytes % KIB === 0) return `${bytes / KIB} KiB`;
  return `${bytes} bytes`;
}
