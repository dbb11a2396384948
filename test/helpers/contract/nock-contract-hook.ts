import { promisify } from "node:util";
import nock from "nock";
import { checkCloudRunExchange } from "./cloud-run-contract.js";
import { checkGitHubExchange, type Exchange } from "./github-contract.js";

type Checker = (exchange: Exchange) => string[];

/** The APIs whose fakes are held to a published contract, by origin. */
const CONTRACTS: Record<string, Checker> = {
  "https://api.github.com": checkGitHubExchange,
  "https://api.github.com:443": checkGitHubExchange,
  "https://run.googleapis.com": checkCloudRunExchange,
  "https://run.googleapis.com:443": checkCloudRunExchange,
};

const problems: string[] = [];

/** Records what a fake outside nock (an HTTP server for child processes) found wrong. */
export function reportContractProblems(found: readonly string[]): void {
  problems.push(...found);
}

/** Every contract problem since the last call, and forgets them. */
export function takeContractProblems(): string[] {
  return problems.splice(0);
}

type Reply = [number, unknown, Record<string, string>?];
type Interceptor = {
  scope: { basePath: string };
  req?: { method: string; headers: Record<string, string | string[] | undefined> };
  statusCode: number | null;
  body: unknown;
  headers: Record<string, string>;
  replyFunction?: (uri: string, body: unknown) => unknown;
  fullReplyFunction?: (uri: string, body: unknown) => unknown;
};

let installed = false;

/**
 * Holds every nock interceptor on a contracted origin to its API's published description: each
 * `.reply(...)` is wrapped so that, when it answers, the request (method, path, query, body) and
 * the fake's response (status, body) are checked, and what does not fit is recorded for the
 * test to fail on (`takeContractProblems`). The reply itself is passed through unchanged.
 */
export function installContractHook(): void {
  if (installed) return;
  installed = true;
  const probe = nock("http://contract-probe.invalid").get("/");
  const proto = Object.getPrototypeOf(probe) as { reply: (...args: unknown[]) => unknown };
  const original = proto.reply;
  proto.reply = function (this: Interceptor, ...args: unknown[]) {
    const result = original.apply(this, args);
    const check = CONTRACTS[this.scope.basePath];
    if (check) wrap(this, check, typeof args[1] === "object" && args[1] !== null && !Buffer.isBuffer(args[1]));
    return result;
  };
}

function wrap(interceptor: Interceptor, check: Checker, fixedIsJson: boolean): void {
  const record = (uri: string, requestBody: unknown, status: number, body: unknown, json: boolean) => {
    const req = interceptor.req;
    const accept = req?.headers.accept;
    problems.push(
      ...check({
        method: req?.method ?? "GET",
        path: uri,
        accept: Array.isArray(accept) ? accept.join(",") : accept,
        requestBody,
        status,
        responseBody: parseBody(body, json),
      }),
    );
  };
  const full = interceptor.fullReplyFunction;
  const partial = interceptor.replyFunction;
  if (full) {
    const fn = full.length === 3 ? promisify(full as never) : full;
    interceptor.fullReplyFunction = async function (this: unknown, uri: string, body: unknown) {
      const reply = (await (fn as (u: string, b: unknown) => unknown).call(this, uri, body)) as Reply;
      record(uri, body, reply[0], reply[1], isJsonReply(reply[2]));
      return reply;
    };
  } else if (partial) {
    const fn = partial.length === 3 ? promisify(partial as never) : partial;
    interceptor.replyFunction = async function (this: unknown, uri: string, body: unknown) {
      const out = await (fn as (u: string, b: unknown) => unknown).call(this, uri, body);
      record(uri, body, interceptor.statusCode ?? 200, out, false);
      return out;
    };
  } else {
    const fixed = interceptor.body;
    interceptor.replyFunction = (uri: string, body: unknown) => {
      record(uri, body, interceptor.statusCode ?? 200, fixed, fixedIsJson);
      return fixed;
    };
  }
}

function isJsonReply(headers: Record<string, string> | undefined): boolean {
  return Object.entries(headers ?? {}).some(([k, v]) => k.toLowerCase() === "content-type" && v.includes("json"));
}

/** The body as the client reads it: objects are sent as JSON; a string only when it was sent as JSON. */
function parseBody(body: unknown, json: boolean): unknown {
  if (body === null || body === undefined || body === "") return undefined;
  if (Buffer.isBuffer(body)) return parseBody(body.toString("utf8"), json);
  if (typeof body !== "string" || !json) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
