import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The door of a route guarded by a bearer token (`/metrics`, scheduled tasks): "pass" when the
 * request is for `path` and `method` with `Authorization: Bearer <token>`; "answered" when it was
 * for `path` but is refused (405 wrong method, 401 wrong or no token, naming `variable`); "not
 * mine" otherwise, and always when no token is configured (the route does not exist: 404).
 */
export function bearerDoor(
  req: IncomingMessage,
  res: ServerResponse,
  route: { path: string; method: "GET" | "POST"; token: string | undefined; realm: string; variable: string },
): "pass" | "answered" | "not mine" {
  if (!route.token || (req.url ?? "").split("?")[0] !== route.path) return "not mine";
  if (req.method !== route.method) {
    res.writeHead(405, { allow: route.method }).end();
    return "answered";
  }
  if (!bearerMatches(req.headers.authorization, route.token)) {
    res
      .writeHead(401, { "www-authenticate": `Bearer realm="${route.realm}"`, "content-type": "text/plain" })
      .end(`${route.realm} need Authorization: Bearer <${route.variable}>\n`);
    return "answered";
  }
  return "pass";
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
