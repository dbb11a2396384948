/**
 * One measured run, in its own process so that peak memory is honest:
 *   node --import tsx bench/diff/case.ts <json-parse|mlops-bot> <cache dir> <base hash> <head hash>
 * Prints one JSON line: elapsed ms, peak RSS, and what was found (to check the cases agree).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { buildDataReport } from "../../src/core/dvc/build-data-report.js";
import { createManifestReader } from "../../src/core/dvc/create-manifest-reader.js";

const [name, cache, baseHash, headHash] = process.argv.slice(2) as [string, string, string, string];
const objectPath = (hash: string): string => path.join(cache, "files", "md5", hash.slice(0, 2), hash.slice(2));
const rssBefore = process.memoryUsage().rss;
const start = performance.now();
let found: unknown;

if (name === "json-parse") {
  const [a, b] = await Promise.all([readFile(objectPath(baseHash), "utf8"), readFile(objectPath(headHash), "utf8")]);
  const x = JSON.parse(a) as unknown[];
  const y = JSON.parse(b) as unknown[];
  found = { base: x.length, head: y.length };
} else if (name === "mlops-bot") {
  const files = (hash: string) =>
    new Map([
      [".dvc/config", ""],
      ["data.dvc", `outs:\n- md5: ${hash}\n  hash: md5\n  path: data\n`],
    ]);
  const store = new FsArtifactStore(cache);
  const report = await buildDataReport({ base: files(baseHash), head: files(headHash), readManifest: createManifestReader({ stores: () => [store] }) });
  found = report.totals.files;
} else {
  throw new Error(`unknown case ${name}`);
}

const ms = performance.now() - start;
const usage = process.resourceUsage();
console.log(JSON.stringify({ ms, peakRssMB: usage.maxRSS / 1024, startRssMB: rssBefore / 1024 / 1024, found }));
