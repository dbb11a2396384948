import type { ParseFile, ParseOutcome } from "../limits/parse-repository-file.js";
import { parseRepositoryFile } from "../limits/parse-repository-file.js";
import type { Problem } from "../problem.js";
import type { DvcFile } from "./parse-dvc-file.js";
import type { DvcLock } from "./parse-dvc-lock.js";
import type { DvcYaml } from "./parse-dvc-yaml.js";

/** One DVC metadata file, parsed (or its problems). Root markers (`.dvc/config`...) are not parsed. */
export type DvcMetadataFile =
  | { readonly kind: "dvc-lock"; readonly outcome: ParseOutcome<"dvc-lock"> }
  | { readonly kind: "dvc-yaml"; readonly outcome: ParseOutcome<"dvc-yaml"> }
  | { readonly kind: "dvc-file"; readonly outcome: ParseOutcome<"dvc-file"> }
  | { readonly kind: "marker" };

/** The DVC metadata of one version: repository path -> parsed file (see `isDvcMetadataPath`). */
export type DvcMetadata = ReadonlyMap<string, DvcMetadataFile>;

/** Which parser a metadata path needs: dvc.lock, dvc.yaml, a `.dvc` file, or none (a root marker). */
export function dvcMetadataKind(path: string): "dvc-lock" | "dvc-yaml" | "dvc-file" | "marker" {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (path.split("/").slice(0, -1).includes(".dvc")) return "marker";
  if (name === "dvc.lock") return "dvc-lock";
  if (name === "dvc.yaml") return "dvc-yaml";
  return name.endsWith(".dvc") && name !== ".dvc" ? "dvc-file" : "marker";
}

/**
 * Parses every metadata file of a version through `parse` (the parse workers, in the bot), all at
 * once. Files that were too large to read come in `tooLarge`, with their problem.
 */
export async function parseDvcMetadata(files: ReadonlyMap<string, string>, parse: ParseFile, tooLarge: ReadonlyMap<string, Problem> = new Map()): Promise<DvcMetadata> {
  const skipped = [...tooLarge].flatMap(([file, problem]): Array<[string, DvcMetadataFile]> => {
    const kind = dvcMetadataKind(file);
    return kind === "marker" ? [] : [[file, { kind, outcome: { ok: false, error: [problem] } }]];
  });
  const entries = await Promise.all(
    [...files].map(async ([file, text]): Promise<[string, DvcMetadataFile]> => {
      const kind = dvcMetadataKind(file);
      if (kind === "marker") return [file, { kind }];
      return [file, { kind, outcome: await parse({ kind, file, text }) } as DvcMetadataFile];
    }),
  );
  return new Map([...entries, ...skipped]);
}

/** The same on this thread, synchronously (tests, and callers that trust their files). */
export function parseDvcMetadataNow(files: ReadonlyMap<string, string>): DvcMetadata {
  const out = new Map<string, DvcMetadataFile>();
  for (const [file, text] of files) {
    const kind = dvcMetadataKind(file);
    out.set(file, kind === "marker" ? { kind } : ({ kind, outcome: parseRepositoryFile({ kind, file, text }) } as DvcMetadataFile));
  }
  return out;
}

/** The parsed dvc.lock at `path`: undefined when absent, else its outcome. */
export function lockAt(metadata: DvcMetadata, path: string): ParseOutcome<"dvc-lock"> | undefined {
  const entry = metadata.get(path);
  return entry?.kind === "dvc-lock" ? entry.outcome : undefined;
}

export function dvcYamlAt(metadata: DvcMetadata, path: string): ParseOutcome<"dvc-yaml"> | undefined {
  const entry = metadata.get(path);
  return entry?.kind === "dvc-yaml" ? entry.outcome : undefined;
}

export function dvcFileAt(metadata: DvcMetadata, path: string): ParseOutcome<"dvc-file"> | undefined {
  const entry = metadata.get(path);
  return entry?.kind === "dvc-file" ? entry.outcome : undefined;
}

export type { DvcFile, DvcLock, DvcYaml };
