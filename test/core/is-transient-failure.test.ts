import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { StorageError } from "../../src/core/errors.js";
import { isTransientFailure } from "../../src/core/is-transient-failure.js";

const request = { method: "POST" as const, url: "https://api.github.com/repos/o/r/issues/1/comments", headers: {} };
const http = (status: number, message = "Error") => new RequestError(message, status, { request });

describe("isTransientFailure", () => {
  it("waits out outages, rate limits, expired tokens and an unreachable store", () => {
    for (const e of [http(500), http(502), http(503), http(408), http(429), http(401), http(403, "API rate limit exceeded for installation ID 2."), new StorageError("cannot claim"), Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } })]) {
      expect(isTransientFailure(e), String(e)).toBe(true);
    }
  });

  it("gives up what GitHub refuses for good, and bugs", () => {
    for (const e of [http(404, "Not Found"), http(410), http(422, "Validation Failed"), http(403, "Resource not accessible by integration"), new TypeError("x is undefined"), "a string", undefined]) {
      expect(isTransientFailure(e), String(e)).toBe(false);
    }
  });
});
