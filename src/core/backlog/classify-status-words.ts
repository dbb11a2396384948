import type { StatusMeaning } from "./backlog.js";

/** Checked in order: negations and "won't do" before the words they contain. */
const vocabulary: ReadonlyArray<readonly [StatusMeaning, RegExp]> = [
  ["skipped", /\b(?:skip(?:ped|s)?|defer(?:red)?|won'?t\s+(?:do|fix)|wontfix|not\s+planned|cancel+ed|dropped|n\/a|not\s+applicable|out\s+of\s+scope|obsolete|descoped|postponed)\b/i],
  ["not-started", /\b(?:not\s+(?:yet\s+)?(?:started|done|begun)|to\s*-?\s*do|pending|planned|queued|upcoming|backlog|open)\b/i],
  ["in-progress", /\b(?:in[\s-]+progress|wip|ongoing|started|working|doing|partial(?:ly)?|blocked|active|in\s+review)\b/i],
  ["done", /\b(?:done|complete[d]?|finished|implemented|shipped|merged|resolved|closed)\b/i],
];

/**
 * Words of a legend entry or a `Status:` line -> what they mean: "Skipped / deferred" ->
 * skipped, "Not started" -> not-started, "In Progress" -> in-progress, "Complete" -> done.
 * Null when no word is recognised.
 */
export function classifyStatusWords(text: string): StatusMeaning | null {
  for (const [meaning, pattern] of vocabulary) if (pattern.test(text)) return meaning;
  return null;
}
