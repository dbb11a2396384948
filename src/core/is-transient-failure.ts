import { StorageError } from "./errors.js";

/**
 * True when trying again later may succeed: a request that got no answer (network down, DNS,
 * timeout), a server error (5xx), a timeout or rate limit (408, 429, a 403 about a rate limit),
 * a token GitHub no longer takes (401, a new one is minted next time), or the job store being
 * unreachable. Any other 4xx is GitHub refusing the request itself (a deleted comment, a locked
 * issue), and a plain Error is a bug: neither gets better by waiting.
 */
export function isTransientFailure(e: unknown): boolean {
  if (e instanceof StorageError) return true;
  if (typeof e !== "object" || e === null) return false;
  const { status, message, name } = e as { status?: unknown; message?: unknown; name?: unknown };
  if (typeof status !== "number") return name === "HttpError" || name === "RequestError" || hasNetworkCode(e);
  if (status >= 500 || status === 408 || status === 429 || status === 401) return true;
  return status === 403 && typeof message === "string" && /rate limit/i.test(message);
}

function hasNetworkCode(e: object): boolean {
  const code = (e as { code?: unknown; cause?: { code?: unknown } }).code ?? (e as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === "string" && /^(ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR)/.test(code);
}
