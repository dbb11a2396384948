import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../ports/logger.js";
import { bearerDoor } from "./bearer-route.js";

/**
 * `POST <path>` runs a scheduled task now, for a scheduler outside the bot (Cloud Scheduler, when
 * the bot's instances may all be asleep) that sends `Authorization: Bearer <token>`. Without a
 * token configured the route does not exist (404). Answers 200 with what the task did, or 500
 * (the scheduler retries); the task's errors go to the log, never to the caller.
 */
export function taskRoute(params: { path: string; token: string | undefined; run: () => Promise<string>; log: Logger }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const door = bearerDoor(req, res, { path: params.path, method: "POST", token: params.token, realm: "tasks", variable: "MLOPS_TASKS_TOKEN" });
    if (door !== "pass") return door === "answered";
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

