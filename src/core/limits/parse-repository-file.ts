import type { Backlog } from "../backlog/backlog.js";
import { BACKLOG_SHAPE_LIMITS, checkBacklogShape } from "../backlog/check-backlog-shape.js";
import { parseShapedBacklog } from "../backlog/parse-backlog.js";
import { findItemReferences } from "../backlog/find-item-references.js";
import type { ItemReference } from "../backlog/item-reference.js";
import { parseDirManifest, type DirManifest } from "../dvc/parse-dir-manifest.js";
import { parseDvcConfig, type DvcConfig } from "../dvc/parse-dvc-config.js";
import { parseDvcFile, type DvcFile } from "../dvc/parse-dvc-file.js";
import { parseDvcLock, type DvcLock } from "../dvc/parse-dvc-lock.js";
import { parseDvcYaml, type DvcYaml } from "../dvc/parse-dvc-yaml.js";
import type { ParamsFile } from "../params/params-file.js";
import { comparePlotFiles } from "../plots/compare-plot-files.js";
import type { PlotComparison } from "../plots/plot-comparison.js";
import { parseParamsFile } from "../params/parse-params-file.js";
import type { Problem } from "../problem.js";
import { parseSlashCommands, type ParsedComment } from "../slash-commands/parse-slash-commands.js";
import { err, type Result } from "../result.js";
import { checkFileSize } from "./check-file-size.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "./parse-limits.js";

/** What each kind of repository file parses into. */
export interface ParsedFiles {
  params: ParamsFile;
  metrics: ParamsFile;
  "dvc-yaml": DvcYaml;
  "dvc-lock": DvcLock;
  "dvc-file": DvcFile;
  "dir-manifest": DirManifest;
  "dvc-config": DvcConfig;
  backlog: Backlog;
  /** The backlog items a merged pull request's body says it completes (`Completes #12 2.6`). */
  "pr-body": ItemReference[];
  /** A run's plots, base against head (the request's text is `encodePlotFiles` of dvc.yaml and the plot files). */
  plots: PlotComparison;
  /** A PR or issue comment's slash commands (its markdown blocks are read to find them, in one pass). */
  comment: ParsedComment;
}

export type ParsedKind = keyof ParsedFiles;
export const PARSED_KINDS: readonly ParsedKind[] = ["params", "metrics", "dvc-yaml", "dvc-lock", "dvc-file", "dir-manifest", "dvc-config", "backlog", "pr-body", "plots", "comment"];

/** One file to parse: its kind, its repository path (for problems) and its text. */
export interface ParseRequest<K extends ParsedKind = ParsedKind> {
  readonly kind: K;
  readonly file: string;
  readonly text: string;
}

export type ParseOutcome<K extends ParsedKind = ParsedKind> = Result<ParsedFiles[K], Problem[]>;

/** Parses one repository file, wherever that happens (this thread, a worker): the `FileParser` port's one call. */
export type ParseFile = <K extends ParsedKind>(request: ParseRequest<K>) => Promise<ParseOutcome<K>>;

/**
 * The one entry to every parser of repository files, under `limits`: the byte cap of the kind
 * first, then the kind's own parser (bounded in depth, aliases and values). Pure and
 * synchronous; never throws. The parse workers run exactly this.
 */
export function parseRepositoryFile<K extends ParsedKind>(request: ParseRequest<K>, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseOutcome<K> {
  return parseAny(request, limits) as ParseOutcome<K>;
}

function parseAny(request: ParseRequest, limits: ParseLimits): ParseOutcome {
  const { kind, file, text } = request;
  switch (kind) {
    case "params":
    case "metrics":
      return parseParamsFile({ file, text, kind, limits });
    case "dvc-yaml":
      return parseDvcYaml({ file, text, limits });
    case "dvc-lock":
      return parseDvcLock({ file, text, limits });
    case "dvc-file":
      return parseDvcFile({ file, text, limits });
    case "dir-manifest":
      return parseDirManifest({ file, text, limits });
    case "dvc-config":
      return parseDvcConfig({ file, text, limits });
    case "backlog": {
      const tooBig = checkFileSize({ kind, file, text, limits });
      if (tooBig) return err([tooBig]);
      const shapeLimits = { ...BACKLOG_SHAPE_LIMITS, maxLines: limits.maxBacklogLines ?? BACKLOG_SHAPE_LIMITS.maxLines };
      const shape = checkBacklogShape(text, shapeLimits);
      return shape ? err([{ file, message: `was not read as a backlog: ${shape}` }]) : { ok: true, value: parseShapedBacklog(text) };
    }
    case "pr-body": {
      const tooBig = checkFileSize({ kind, file, text, limits });
      return tooBig ? err([tooBig]) : { ok: true, value: findItemReferences(text) };
    }
    case "plots": {
      const tooBig = checkFileSize({ kind, file, text, limits });
      return tooBig ? err([tooBig]) : comparePlotFiles({ file, text });
    }
    case "comment": {
      const tooBig = checkFileSize({ kind, file, text, limits });
      return tooBig ? err([tooBig]) : { ok: true, value: parseSlashCommands(text) };
    }
    default:
      return err([{ file, message: `is of an unknown kind ${JSON.stringify(kind)}` }]);
  }
}

/** The same parsers on this thread, as a `ParseFile` (the CLI, tests). */
export function parseInline(limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseFile {
  return (request) => Promise.resolve(parseRepositoryFile(request, limits));
}
