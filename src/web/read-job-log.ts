import type { ArtifactStore } from "../ports/artifact-store.js";
import type { LogLine } from "./live-logs.js";

/** How much of a stored log the page reads; a longer log is tailed (the download has it all). */
export const STORED_LOG_BYTES = 4 * 1024 * 1024;
export const MAX_LINE_CHARS = 4000;

/**
 * A job's stored log as numbered lines, split the way `LiveLogs` splits live output (so a page
 * that reconnects to either resumes at the same line), redacted. Only the last
 * `STORED_LOG_BYTES` are read; `firstLine` says where that tail starts. Undefined: no log yet.
 */
export async function readJobLog(artifacts: Pick<ArtifactStore, "get">, key: string, redact: (text: string) => string): Promise<{ lines: LogLine[]; skippedBytes: number } | undefined> {
  const body = await artifacts.get(key);
  if (!body) return undefined;
  let skippedBytes = 0;
  let first = 1;
  if (body.length > STORED_LOG_BYTES) {
    // Start at a line boundary, and number from the lines left out (long lines aside).
    skippedBytes = body.indexOf(0x0a, body.length - STORED_LOG_BYTES) + 1;
    for (let i = body.indexOf(0x0a); i >= 0 && i < skippedBytes; i = body.indexOf(0x0a, i + 1)) first++;
  }
  const text = body.subarray(skippedBytes).toString("utf8");
  return { lines: splitLogText(text, first, redact), skippedBytes };
}

/** Text -> numbered lines from `first`; `\r` progress keeps its last state; long lines cut every MAX_LINE_CHARS. */
export function splitLogText(text: string, first: number, redact: (text: string) => string): LogLine[] {
  const out: LogLine[] = [];
  let n = first;
  const parts = text.split(/\r?\n/);
  if (parts.at(-1) === "") parts.pop();
  for (const raw of parts) {
    const visible = raw.includes("\r") ? (raw.split("\r").filter(Boolean).pop() ?? "") : raw;
    for (let i = 0; i < Math.max(visible.length, 1); i += MAX_LINE_CHARS) out.push({ n: n++, text: redact(visible.slice(i, i + MAX_LINE_CHARS)) });
  }
  return out;
}
