import { parseInline, type ParseFile } from "../limits/parse-repository-file.js";
import { collectParsedDataVersion } from "./collect-data-version.js";
import type { ManifestReader } from "./create-manifest-reader.js";
import type { DataReport, ManifestLookup } from "./data-report.js";
import type { DataVersion } from "./data-version.js";
import { diffDataVersions } from "./diff-data-versions.js";
import { parseDvcMetadata, type DvcMetadata } from "./parse-dvc-metadata.js";

/**
 * The whole data check in one call: the DVC metadata files at base and at head (repository
 * path -> text; pick them with `isDvcMetadataPath`) and a way to read `.dir` manifests
 * (`createManifestReader` over the DVC cache / remote stores) -> the typed data report.
 * Every file is parsed through `parse` (the bot's parse workers; inline by default).
 */
export async function buildDataReport(params: {
  base: ReadonlyMap<string, string>;
  head: ReadonlyMap<string, string>;
  readManifest: ManifestReader;
  parse?: ParseFile;
}): Promise<DataReport> {
  const parse = params.parse ?? parseInline();
  const [base, head] = await Promise.all([parseDvcMetadata(params.base, parse), parseDvcMetadata(params.head, parse)]);
  return buildParsedDataReport({ base, head, readManifest: params.readManifest, parse });
}

/**
 * The data report of two versions' parsed DVC metadata. Only the manifests of changed folders
 * are read, each once, in parallel, and parsed through `parse`.
 */
export async function buildParsedDataReport(params: { base: DvcMetadata; head: DvcMetadata; readManifest: ManifestReader; parse: ParseFile }): Promise<DataReport> {
  const base = collectParsedDataVersion({ metadata: params.base });
  const head = collectParsedDataVersion({ metadata: params.head });
  const lookups = new Map<string, ManifestLookup>();
  await Promise.all(
    neededManifests(base, head).map(async ({ root, hash }) => {
      const key = `${root}\n${hash}`;
      let found: { file: string; text: string } | undefined;
      try {
        found = await params.readManifest({ root, hash });
      } catch (e) {
        lookups.set(key, { status: "unreadable", problems: [{ file: `${root ? `${root}/` : ""}.dvc/cache (${hash})`, message: `cannot read the .dir manifest: ${(e as Error).message}` }] });
        return;
      }
      const parsed = found ? await params.parse({ kind: "dir-manifest", file: found.file, text: found.text }) : undefined;
      lookups.set(key, !parsed ? { status: "missing" } : parsed.ok ? { status: "ok", manifest: parsed.value } : { status: "invalid", problems: parsed.error });
    }),
  );
  return diffDataVersions({ base, head, manifest: (root, hash) => lookups.get(`${root}\n${hash}`) ?? { status: "missing" } });
}

/** The `.dir` hashes the diff will ask for: folders whose hash differs between the versions. */
export function neededManifests(base: DataVersion, head: DataVersion): { root: string; hash: string }[] {
  const needed = new Map<string, { root: string; hash: string }>();
  const roots = new Set([...base.roots.keys(), ...head.roots.keys()]);
  for (const root of roots) {
    const a = base.roots.get(root);
    const b = head.roots.get(root);
    const visit = (mine: typeof a, other: typeof a): void => {
      for (const [path, out] of mine ?? []) {
        if (out.isDir && out.hash !== undefined && other?.get(path)?.hash !== out.hash) needed.set(`${root}\n${out.hash}`, { root, hash: out.hash });
      }
    };
    visit(a, b);
    visit(b, a);
  }
  return [...needed.values()];
}
