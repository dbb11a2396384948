/**
 * The bot's one reply to a comment: the author, then each command it answers, quoted (a quoted
 * command is never parsed again) and followed by what happened.
 */
export function renderReply(params: {
  author: string;
  sections: ReadonlyArray<{ readonly raw: string | undefined; readonly message: string }>;
}): string {
  const parts = params.sections.map((s) => (s.raw ? `> ${s.raw}\n\n${s.message}` : s.message));
  return [`@${params.author}`, ...parts].join("\n\n");
}
