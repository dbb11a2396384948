import { neutralizeUserText } from "../format/neutralize-user-text.js";

/**
 * The bot's one reply to a comment: the author, then each command it answers, quoted (a quoted
 * command is never parsed again) and followed by what happened. What the commands quote from
 * the comment and the files is neutralised: the reply mentions its author, and nobody else.
 */
export function renderReply(params: {
  author: string;
  sections: ReadonlyArray<{ readonly raw: string | undefined; readonly message: string }>;
}): string {
  const parts = params.sections.map((s) => {
    const message = neutralizeUserText(s.message);
    return s.raw ? `> ${neutralizeUserText(s.raw)}\n\n${message}` : message;
  });
  return [`@${params.author}`, ...parts].join("\n\n");
}
