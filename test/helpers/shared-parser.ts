import { WorkerPoolFileParser } from "../../src/adapters/parsing/worker-pool-file-parser.js";
import type { ServerConfig } from "../../src/config/server-config.js";
import type { FileParser } from "../../src/ports/file-parser.js";

const pools = new Map<string, WorkerPoolFileParser>();

/**
 * The bot's own parse worker pool (real worker threads, as `createEngine` builds it), one per test
 * file and parsing config, for tests that build a bot per test: starting a parse thread under tsx
 * loads the parsers again (about a second each), which every such test paid before its first
 * comment. A parse that hangs or runs out of memory still ends only its worker, as in the bot.
 * Its `close` leaves the pool running for the file's next test; the test process ends it (the
 * threads are unref'd).
 */
export function sharedParser(server: Pick<ServerConfig, "parsing">): FileParser {
  const key = JSON.stringify(server.parsing);
  let pool = pools.get(key);
  if (!pool) {
    const { limits, workers, timeoutMs, memoryMb } = server.parsing;
    pool = new WorkerPoolFileParser({ limits, size: workers, timeoutMs, memoryMb });
    pools.set(key, pool);
  }
  const shared = pool;
  return { parse: shared.parse, warm: () => shared.warm(), close: async () => {} };
}
