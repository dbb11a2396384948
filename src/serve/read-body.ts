import type { IncomingMessage } from "node:http";
import { err, ok, type Result } from "../core/result.js";
import { apiError, type ApiError } from "./api-error.js";

/**
 * Reads a request body of at most `limit` bytes. A larger declared Content-Length is refused
 * before any byte is read; a larger chunked body is refused as soon as it passes the limit,
 * and reading stops there (the caller answers 413 with `Connection: close`, so the rest is
 * never parsed). Never rejects.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Result<Buffer, ApiError>> {
  const tooLarge = (size: string) => err(apiError(413, "payload_too_large", `the body is ${size}; the limit is ${limit} bytes (SERVE_MAX_BODY_BYTES): send fewer instances per request`));
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(tooLarge(`${declared} bytes`));

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Result<Buffer, ApiError>) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(tooLarge(`over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(ok(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    const onError = (e: Error) => done(err(apiError(400, "bad_request", `the request body could not be read: ${e.message}`)));
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
