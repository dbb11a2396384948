// Loaded with `node --require`: appends every module the process loads to the file MODULE_LOG, one
// a line (ES modules as file: URLs through a loader hook, CommonJS modules as paths through
// Module._load). test/cli/module-count.test.ts counts them.
const { register, Module } = require("node:module");
const { appendFileSync } = require("node:fs");

const log = process.env.MODULE_LOG;
if (!log) throw new Error("count-modules.cjs: set MODULE_LOG to the file to write");
const hooks = [
  'import { appendFileSync } from "node:fs";',
  "let log;",
  "export function initialize(data) { log = data.log; }",
  'export async function load(url, context, next) { if (url.startsWith("file:")) appendFileSync(log, url + "\\n"); return next(url, context); }',
].join("\n");
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { log } });

const load = Module._load;
Module._load = function countedLoad(request, parent, isMain) {
  const exports = load.call(this, request, parent, isMain);
  try {
    const file = Module._resolveFilename(request, parent, isMain);
    if (file.startsWith("/")) appendFileSync(log, `${file}\n`);
  } catch {
    // a builtin or an unresolvable name: nothing to count
  }
  return exports;
};
