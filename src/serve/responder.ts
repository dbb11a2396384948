import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiError } from "./api-error.js";
import type { RouteLabel } from "./create-serve-metrics.js";

/** One request being answered: where it goes, and when it came (`performance.now()`). */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly route: RouteLabel;
  readonly started: number;
}

/** How route handlers answer: each exchange is answered exactly once, through one of these. */
export interface Responder {
  json(x: Exchange, status: number, body: string, headers?: Record<string, string>): void;
  /** A JSON body known to be ASCII only (the predictions encoder's). */
  ascii(x: Exchange, status: number, body: string): void;
  text(x: Exchange, status: number, contentType: string, body: string): void;
  error(x: Exchange, e: ApiError, headers?: Record<string, string>): void;
}
