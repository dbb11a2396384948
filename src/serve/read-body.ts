import type { IncomingMessage } from "node:http";
import { err, ok, type Result } from "../core/result.js";
import { apiError } from "./api-error.js";
import type { ApiError } from "./api-error.js";

/** Why no body: the error to send, and whether to close the connection after it. */
export interface BodyError {
  readonly error: ApiError;
  readonly close: boolean;
}

/** Past the limit, up to this many more bytes are read and thrown away (see below). */
export const DISCARD_BYTES = 4 << 20;

/**
 * Reads a request body of at most `limit` bytes. Past the limit nothing more is kept or
 * parsed, and the answer is 413:
 * - a declared Content-Length over `limit + DISCARD_BYTES`, or over `limit` with
 *   `Expect: 100-continue` (the client then never sends the body), is refused before any
 *   byte is read, and the connection is closed;
 * - otherwise the rest of the body is read and thrown away, and the 413 goes out when the
 *   body ends. Answering a client in mid-upload makes node close the connection, and most
 *   clients (node's among them) then report a broken pipe instead of the answer; draining a
 *   bounded amount is what lets them see the 413, and keeps the connection usable;
 * - a body that goes on past `limit + DISCARD_BYTES` gets the 413 at that point, and the
 *   connection is closed.
 * Never rejects.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Result<Buffer, BodyError>> {
  const cap = limit + DISCARD_BYTES;
  const tooLarge = (size: string, close: boolean) =>
    err<BodyError>({ error: apiError(413, "payload_too_large", `the body is ${size}; the limit is ${limit} bytes (SERVE_MAX_BODY_BYTES): send fewer instances per request`), close });
  const declared = req.headers["content-length"];
  const declaredBytes = declared === undefined ? undefined : Number(declared);
  if (declaredBytes !== undefined && (declaredBytes > cap || (declaredBytes > limit && req.headers.expect?.toLowerCase() === "100-continue"))) {
    return Promise.resolve(tooLarge(`${declared} bytes`, true));
  }

  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Result<Buffer, BodyError>) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > cap) {
        req.pause();
        done(tooLarge(`over ${cap} bytes`, true));
      } else chunks = [];
    };
    const onEnd = () => {
      if (size > limit) done(tooLarge(declared === undefined ? `${size} bytes` : `${declared} bytes`, false));
      else done(ok(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    };
    const onError = (e: Error) => done(err({ error: apiError(400, "bad_request", `the request body could not be read: ${e.message}`), close: true }));
    // Also a client gone before the end of its body (node reports "aborted"): answer into the void, move on.
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
