import { checkFileSize } from "../limits/check-file-size.js";
import { guardParser } from "../limits/guard-parser.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";

/** What the data diff needs from `.dvc/config` (+ `config.local`): where objects may be found. */
export interface DvcConfig {
  /** `[cache] dir`, as written (relative paths are relative to the `.dvc/` folder). */
  readonly cacheDir: string | undefined;
  /** `[core] remote`. */
  readonly defaultRemote: string | undefined;
  /** remote name -> url, as written. */
  readonly remotes: ReadonlyMap<string, string>;
}

const SECTION = /^\[\s*(?:'([^']*)'|"([^"]*)"|([^\]]*?))\s*\]$/;
const REMOTE = /^remote\s+"([^"]+)"$/;

/** configobj-style INI text -> cache dir, default remote, remote urls; never throws. */
export function parseDvcConfig(params: { file: string; text: string; limits?: ParseLimits }): Result<DvcConfig, Problem[]> {
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  return guardParser(params.file, () => {
    const tooBig = checkFileSize({ kind: "dvc-config", file: params.file, text: params.text, limits });
    return tooBig ? err([tooBig]) : parseDvcConfigWithin({ ...params, limits });
  });
}

function parseDvcConfigWithin(params: { file: string; text: string; limits: ParseLimits }): Result<DvcConfig, Problem[]> {
  const problems: Problem[] = [];
  const remotes = new Map<string, string>();
  let cacheDir: string | undefined;
  let defaultRemote: string | undefined;
  let section = "";
  params.text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = SECTION.exec(line);
    if (header) {
      section = (header[1] ?? header[2] ?? header[3] ?? "").trim();
      return;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) {
      problems.push({ file: params.file, line: index + 1, message: `expected \`key = value\` or a [section], got ${JSON.stringify(line)}` });
      return;
    }
    const key = line.slice(0, eq).trim();
    const value = unquote(line.slice(eq + 1).trim());
    const remote = REMOTE.exec(section);
    if (section === "core" && key === "remote") defaultRemote = value;
    else if (section === "cache" && key === "dir") cacheDir = value;
    else if (remote?.[1] && key === "url") remotes.set(remote[1], value);
  });
  return problems.length > 0 ? err(problems) : ok({ cacheDir, defaultRemote, remotes });
}

function unquote(value: string): string {
  const q = value[0];
  return (q === "'" || q === '"') && value.endsWith(q) && value.length >= 2 ? value.slice(1, -1) : value;
}
