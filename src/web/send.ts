import type { ServerResponse } from "node:http";

/** Only our own scripts, styles and the page's own origin; nothing inline, nothing elsewhere. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const COMMON = {
  "x-content-type-options": "nosniff",
  // A signed link must not leak to another site through the Referer header.
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

export function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, { ...COMMON, "content-type": "text/html; charset=utf-8", "content-security-policy": PAGE_CSP, "cache-control": "no-store" });
  res.end(html);
}

/** The same answer for an unknown page, a bad or expired signature and a missing artifact. */
export function sendNotFound(res: ServerResponse): void {
  res.writeHead(404, { ...COMMON, "content-type": "text/plain; charset=utf-8", "content-security-policy": "default-src 'none'", "cache-control": "no-store" });
  res.end("Not found\n");
}

export function sendAsset(res: ServerResponse, asset: { body: Buffer; type: string }, head: boolean): void {
  res.writeHead(200, { ...COMMON, "content-type": asset.type, "content-length": asset.body.length, "cache-control": "public, max-age=3600", "content-security-policy": "default-src 'none'" });
  res.end(head ? undefined : asset.body);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A stored file as a download: never rendered by the browser (it came from a pull request). */
export function sendDownload(res: ServerResponse, name: string, body: Buffer, head: boolean): void {
  // Cut by code points, never inside a surrogate pair (encodeURIComponent throws on half of one).
  const short = Array.from(name.replace(LONE_SURROGATE, "\uFFFD")).slice(0, 100).join("");
  const ascii = short.replace(/[^A-Za-z0-9._-]/g, "_") || "download";
  res.writeHead(200, {
    ...COMMON,
    "content-type": "application/octet-stream",
    "content-length": body.length,
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(short)}`,
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": "no-store",
  });
  res.end(head ? undefined : body);
}

export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    ...COMMON,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    // Proxies (nginx, Cloud Run's front end) must not hold events back.
    "x-accel-buffering": "no",
  });
  res.write("retry: 2000\n\n");
}

/** One server-sent event; `data` is JSON on one line. */
export function writeEvent(res: ServerResponse, event: string, data: unknown, id?: number): void {
  res.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
