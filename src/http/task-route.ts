import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../ports/logger.js";

/**
 * `POST <path>` runs a scheduled task now, for a scheduler outside the bot (Cloud Scheduler, when
 * the bot's instances may all be asleep) that sends `Authorization: Bearer <token>`. Without a
 * token configured the route does not exist (404). Answers 200 with what the task did, or 500
 * (the scheduler retries); the task's errors go to the log, never to the caller.
 */
export function taskRoute(params: { path: string; token: string | undefined; run: () => Promise<string>; log: Logger }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!params.token || (req.url ?? "").split("?")[0] !== params.path) return false;
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return true;
    }
    if (!bearerMatches(req.headers.authorization, params.token)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="tasks"', "content-type": "text/plain" }).end("tasks need Authorization: Bearer <MLOPS_TASKS_TOKEN>\n");
      return true;
    }
    req.resume();
    void params.run().then(
      (outcome) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ outcome })),
      (e: unknown) => {
        params.log.error({ err: e, path: params.path }, "scheduled task failed");
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ outcome: "failed" }));
      },
    );
    return true;
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
