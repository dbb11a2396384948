import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../ports/logger.js";

/** GitHub caps webhook payloads at 25 MB: it never sends more, so more is never a delivery. */
export const GITHUB_WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

export type WebhookRefusal = "too large" | "no signature" | "signature does not match";

/**
 * Stands in front of the webhooks middleware on `path`: a POST whose body is over `maxBytes` is
 * refused (413) before it is read whole — by its Content-Length at once, or as soon as the bytes
 * streamed pass the cap — and a body without a valid `X-Hub-Signature-256` is refused (401) before
 * any handler sees it. A refusal is logged in one line (delivery id, event, reason), never with
 * the payload. An accepted body is handed on as `req.body` (text), which the middleware uses
 * instead of reading the stream again. Returns true when it answered the request.
 */
export function guardWebhookBody(params: {
  path: string;
  secret: string;
  log: Logger;
  maxBytes?: number;
  onRefused?: (reason: WebhookRefusal) => void;
}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const maxBytes = params.maxBytes ?? GITHUB_WEBHOOK_MAX_BYTES;
  return async (req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0]?.replace(/\/+$/, "") !== params.path.replace(/\/+$/, "")) return false;
    const refuse = (status: number, reason: WebhookRefusal, message: string): true => {
      params.log.warn({ delivery: header(req, "x-github-delivery"), event: header(req, "x-github-event"), reason, status }, "webhook delivery refused");
      params.onRefused?.(reason);
      // Nothing more is read: the connection closes once the answer is sent.
      res.writeHead(status, { "content-type": "application/json", connection: "close" }).end(JSON.stringify({ error: message }));
      res.once("finish", () => req.destroy());
      return true;
    };
    const tooLarge = () => refuse(413, "too large", `webhook payloads are at most ${maxBytes} bytes`);
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
    const body = await readAtMost(req, maxBytes);
    if (body === "too large") return tooLarge();
    if (body === "aborted") {
      req.destroy();
      return true;
    }
    const signature = header(req, "x-hub-signature-256");
    if (!signature) return refuse(401, "no signature", "X-Hub-Signature-256 is required");
    if (!signatureMatches(params.secret, body, signature)) return refuse(401, "signature does not match", "the signature does not match the payload");
    (req as IncomingMessage & { body?: string }).body = body.toString("utf8");
    return false;
  };
}

/** The request's body, or "too large" as soon as more than `max` bytes came (the rest is not read). */
function readAtMost(req: IncomingMessage, max: number): Promise<Buffer | "too large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (value: Buffer | "too large" | "aborted") => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      if (value !== "aborted" && value !== "too large") resolve(value);
      else {
        req.pause();
        resolve(value);
      }
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > max) done("too large");
      else chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks, bytes));
    const onError = () => done("aborted");
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function signatureMatches(secret: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A header for a log line: one value, at most 100 printable characters. */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}
