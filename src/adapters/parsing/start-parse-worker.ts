import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * Starts `parse-worker` in a new thread. Built (`dist/`), it is a `.js` file Node loads as is;
 * from the sources (tsx, vitest) it is `.ts`, so the thread first registers tsx's loader.
 */
export function startParseWorker(params: { workerData: unknown; resourceLimits: ResourceLimits }): Worker {
  const options = { workerData: params.workerData, resourceLimits: params.resourceLimits, stdout: false, stderr: false };
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./parse-worker.js", here), options);
  const entry = new URL("./parse-worker.ts", here).href;
  const tsx = tsxLoaderUrl(here);
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** tsx's ESM API (`tsx/esm/api`, import condition), as a file URL a thread can import. */
function tsxLoaderUrl(here: string): string {
  if (typeof import.meta.resolve === "function") return import.meta.resolve("tsx/esm/api");
  // Under a test runner without `import.meta.resolve`: the package's ESM entry, from its folder.
  const root = path.dirname(createRequire(here).resolve("tsx/package.json"));
  return pathToFileURL(path.join(root, "dist/esm/api/index.mjs")).href;
}
