import { err, ok } from "../../core/result.js";
import { defineCommand } from "../define-command.js";

const USAGE = `Usage: mlops-bot diff [--base REF] [--head REF | --worktree] [--markdown | --json] [--max-length N]

Compares DVC-tracked data, params and metrics of the local git repository between two versions,
with the semantics of \`dvc diff\`, \`dvc params diff\` and \`dvc metrics diff\`. DVC projects are
found anywhere in the tree (\`dvc init --subdir\`, e.g. ml/). Folders are expanded to files through
their .dir manifests, read from <dvc root>/.dvc/cache (or [cache] dir), then from the default
remote in .dvc/config when it is a local folder; a manifest found in neither is reported as not in
cache, and the rest is still reported.

Options:
  --base REF       the old version. Default: the merge-base of HEAD and the default branch
                   (origin/HEAD, else main, else master).
  --head REF       the new version. Default: HEAD, the last commit (uncommitted edits are not seen).
  --worktree       take the new version's dvc.lock, *.dvc, params and metrics files from the working
                   tree instead (after \`dvc repro\` or \`dvc add\`, before committing). Data files
                   are not re-hashed: the diff is of what DVC recorded, like the bot does on a PR.
  --markdown       print the markdown report (default).
  --json           print JSON: the typed report, and each root's \`dvc diff --json\` view.
  --max-length N   bound the markdown data section to N characters (default 60000).`;

export interface DiffInput {
  readonly base: string | undefined;
  /** The new version's ref; null for the working tree (`--worktree`). */
  readonly head: string | null;
  readonly json: boolean;
  readonly maxLength: number;
}

/** `mlops-bot diff`: the data check of a pull request, run on a local repository. */
export const diffCommand = defineCommand({
  name: "diff",
  summary: "Diff DVC data (down to files), params and metrics between two git versions",
  usage: USAGE,
  options: {
    base: { type: "string" },
    head: { type: "string" },
    worktree: { type: "boolean" },
    markdown: { type: "boolean" },
    json: { type: "boolean" },
    "max-length": { type: "string" },
  },
  valueNames: { base: "a branch, tag or commit", head: "a branch, tag or commit", "max-length": "a number of characters" },
  check({ values }) {
    if (values.head !== undefined && values.worktree) return err("choose one of --head REF and --worktree: both say what the new version is");
    if (values.json && values.markdown) return err("choose one of --markdown and --json");
    const maxLength = values["max-length"] ?? "60000";
    if (!/^\d+$/.test(maxLength) || Number(maxLength) < 100) return err(`--max-length needs a number of at least 100, got ${JSON.stringify(maxLength)}`);
    return ok<DiffInput>({ base: values.base, head: values.worktree ? null : (values.head ?? "HEAD"), json: values.json === true, maxLength: Number(maxLength) });
  },
  load: async () => (await import("../diff/run-diff.js")).runDiff,
});
