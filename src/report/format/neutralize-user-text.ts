/** U+200B ZERO WIDTH SPACE: invisible in prose and in code, and it breaks what GitHub would link. */
const ZWSP = "\u200b";

/**
 * Text that came from a user (a comment, a file, a branch name, an issue) made inert before the
 * bot posts it: no `@mention` notifies anyone, no URL, `www.` address, markdown link, HTML tag
 * or issue reference becomes a link. It inserts a zero-width space at each place GitHub would
 * start one (`@`, `://`, `www.`, `](`, `][`, `]:`, `<tag` other than harmless formatting such as
 * `<details>`, `#123`, `owner/repo#123`), so the text
 * reads the same, in prose and inside code spans alike, and can be neutralised twice safely.
 */
export function neutralizeUserText(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWSP}`)
    .replace(/:(?=\/\/)/g, `:${ZWSP}`)
    .replace(/\b(www)\.(?=\S)/gi, `$1${ZWSP}.`)
    .replace(/\](?=[([:])/g, `]${ZWSP}`)
    .replace(/<(?=[A-Za-z/!?])(?!\/?(?:details|summary|br|b|i|em|strong|code|kbd|sub|sup)\b)/gi, `<${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`);
}
