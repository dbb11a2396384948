import type { ParseFile, ParseOutcome } from "../limits/parse-repository-file.js";

type Texts = Readonly<Record<string, string>>;

/** The params and metrics files of a training run and its base, parsed (or their problems). */
export interface ParsedTrainingFiles {
  readonly base: { readonly metrics: ReadonlyMap<string, ParseOutcome<"metrics">>; readonly params: ReadonlyMap<string, ParseOutcome<"params">> };
  readonly head: { readonly metrics: ReadonlyMap<string, ParseOutcome<"metrics">>; readonly params: ReadonlyMap<string, ParseOutcome<"params">> };
}

/**
 * Parses what a run wrote (hostile: the PR's code wrote it) and the base's files through
 * `parse`: in the bot, the parse workers, so no output can stall the bot's thread.
 */
export async function parseTrainingFiles(
  result: { readonly base: { readonly metrics: Texts; readonly params: Texts }; readonly head: { readonly metrics: Texts; readonly params: Texts } },
  parse: ParseFile,
): Promise<ParsedTrainingFiles> {
  const all = async <K extends "metrics" | "params">(kind: K, texts: Texts) =>
    new Map(await Promise.all(Object.entries(texts).map(async ([file, text]) => [file, await parse({ kind, file, text })] as const)));
  const [baseMetrics, baseParams, headMetrics, headParams] = await Promise.all([
    all("metrics", result.base.metrics),
    all("params", result.base.params),
    all("metrics", result.head.metrics),
    all("params", result.head.params),
  ]);
  return { base: { metrics: baseMetrics, params: baseParams }, head: { metrics: headMetrics, params: headParams } };
}
