/**
 * A parse worker: runs `parseRepositoryFile` on the requests its pool sends, one at a time. Its
 * heap is capped by the pool (`resourceLimits`) and the pool terminates it past the deadline.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseRepositoryFile, type ParseOutcome, type ParseRequest } from "../../core/limits/parse-repository-file.js";
import type { ParseLimits } from "../../core/limits/parse-limits.js";
import { runStallHook, type StallHook } from "./stall-hook.js";

const { limits, stallHook } = workerData as { limits: ParseLimits; stallHook?: StallHook };

parentPort!.on("message", (message: { id: number; request: ParseRequest }) => {
  if (stallHook) runStallHook(stallHook, message.request.file);
  const outcome = parseRepositoryFile(message.request, limits);
  try {
    parentPort!.postMessage({ id: message.id, outcome });
  } catch (e) {
    const failed: ParseOutcome = { ok: false, error: [{ file: message.request.file, message: `could not be read: its parsed value cannot be passed on (${(e as Error).name})` }] };
    parentPort!.postMessage({ id: message.id, outcome: failed });
  }
});
parentPort!.postMessage({ ready: true });
