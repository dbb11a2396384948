/**
 * What is wrong with an outside input, and where: the shape every parser reports.
 * `file` is a repository path (or an env var name), `line` and `column` are 1-based,
 * `path` is the dotted key inside a structured file.
 */
export interface Problem {
  readonly file: string;
  readonly message: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly path?: string | undefined;
  readonly hint?: string | undefined;
}

/** `file:line:column: message (at path). hint` — one line a user can act on. */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(":");
  const at = p.path ? ` (at \`${p.path}\`)` : "";
  const hint = p.hint ? ` ${p.hint}` : "";
  return `${where}: ${p.message}${at}.${hint}`.replace(/\.\.$/, ".");
}

/** Problems one file reports at most: the first ones say what to fix; thousands more only cost time. */
export const MAX_FILE_PROBLEMS = 50;

/** True (and the list ends with a note) once `problems` holds `MAX_FILE_PROBLEMS`: the caller stops looking. */
export function problemsFull(problems: Problem[], file: string): boolean {
  if (problems.length < MAX_FILE_PROBLEMS) return false;
  const message = `more problems follow; only the first ${MAX_FILE_PROBLEMS} are listed`;
  if (!problems.some((p) => p.message === message)) problems.push({ file, message });
  return true;
}
