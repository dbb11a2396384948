import { escapeHtml as e } from "./escape-html.js";

/**
 * The start of every page the bot serves, up to `<body>`: no referrer leaves it, light and dark
 * schemes, and only the bot's own stylesheet. `title` is escaped here.
 */
export function renderHtmlHead(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${e(title)}</title>
<link rel="stylesheet" href="/assets/job-page.css">
</head>
<body>`;
}
