import type { CheckRunAction, CheckRunOutput } from "../../ports/code-host.js";

/** GitHub rejects a check run whose summary or text exceeds 65,535 characters; we stay under in bytes. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
const TITLE_LIMIT = 255;
const ACTION_LIMITS = { count: 3, label: 20, description: 40, identifier: 20 };

/**
 * Makes an output GitHub accepts: each field cut at a line boundary under the limit (counting
 * UTF-8 bytes, which is never fewer than GitHub's characters), with a note saying how much was
 * left out. Never rejects, never throws.
 */
export function fitCheckRunOutput(output: CheckRunOutput, limit = CHECK_RUN_TEXT_LIMIT): CheckRunOutput {
  const title = output.title.length > TITLE_LIMIT ? `${output.title.slice(0, TITLE_LIMIT - 1)}…` : output.title;
  const summary = fitText(output.summary || title, limit);
  return output.text === undefined || output.text === "" ? { title, summary } : { title, summary, text: fitText(output.text, limit) };
}

export function fitCheckRunActions(actions: readonly CheckRunAction[]): CheckRunAction[] {
  return actions.slice(0, ACTION_LIMITS.count).map((a) => ({
    label: a.label.slice(0, ACTION_LIMITS.label),
    description: a.description.slice(0, ACTION_LIMITS.description),
    identifier: a.identifier.slice(0, ACTION_LIMITS.identifier),
  }));
}

function fitText(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const note = (left: number) => `\n\n> ✂️ Output trimmed to fit GitHub's limit: ${left.toLocaleString("en-US")} characters left out.`;
  const budget = limit - Buffer.byteLength(note(text.length)) - 8;
  // Cut at a character boundary within the byte budget, then back to the last full line.
  let cut = Buffer.from(text).subarray(0, budget).toString("utf8").replace(/\uFFFD$/, "");
  const newline = cut.lastIndexOf("\n");
  if (newline > budget / 2) cut = cut.slice(0, newline);
  // An unclosed code fence would swallow the note: close it.
  if ((cut.match(/^```/gm)?.length ?? 0) % 2 === 1) cut += "\n```";
  return cut + note(text.length - cut.length);
}
