import path from "node:path";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { readEnvSection } from "./read-env-section.js";

/** The jobs' shared DVC cache on the bot's host: where it lives and how large and old it may grow. */
export interface CacheConfig {
  /** Folder of the layers: `<owner>/<repo>/default` and `<owner>/<repo>/pr-<n>`. */
  readonly dir: string;
  /** Past this many bytes in all, the least recently used layers are removed (pull requests' first). */
  readonly maxBytes: number;
  /** A layer no job used for this long is removed. */
  readonly maxAgeMs: number;
}

/** Characters a cache path may not hold: it is written into DVC's config file (an INI file) as is. */
const UNSAFE_PATH = /["'#;\r\n[\]\\]/;

const schema = z.object({
  MLOPS_CACHE_DIR: z
    .string()
    .refine((p) => !UNSAFE_PATH.test(p), { message: "must be a folder path without quotes, '#', ';', brackets, backslashes or line breaks (DVC's config holds it)" })
    .optional(),
  MLOPS_CACHE_MAX_GB: z.coerce.number({ message: "must be a number of gigabytes, like 20 (0 turns the shared cache off)" }).min(0, "must not be negative").default(20),
  MLOPS_CACHE_MAX_AGE_DAYS: z.coerce.number({ message: "must be a number of days, like 14" }).positive("must be more than 0").default(14),
});

/**
 * The shared DVC cache of local and Docker jobs: on by default under the data folder;
 * `MLOPS_CACHE_MAX_GB=0` turns it off (every job then starts from an empty cache, as before).
 */
export function loadCacheConfig(env: NodeJS.ProcessEnv, dataDir: string, cwd = process.cwd()): CacheConfig | undefined {
  const c = readEnvSection(schema, env);
  if (c.MLOPS_CACHE_MAX_GB === 0) return undefined;
  const dir = path.resolve(cwd, c.MLOPS_CACHE_DIR ?? path.join(dataDir, "cache"));
  if (UNSAFE_PATH.test(dir)) {
    const from = c.MLOPS_CACHE_DIR ? "MLOPS_CACHE_DIR" : "MLOPS_DATA_DIR";
    throw new ConfigError([{ file: `environment variable ${from}`, message: `gives the cache folder ${dir}, which DVC's config cannot hold: set MLOPS_CACHE_DIR to a folder path without quotes, '#', ';', brackets, backslashes or line breaks` }]);
  }
  return { dir, maxBytes: Math.round(c.MLOPS_CACHE_MAX_GB * 1024 ** 3), maxAgeMs: c.MLOPS_CACHE_MAX_AGE_DAYS * 86_400_000 };
}
