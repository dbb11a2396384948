import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface WebAsset {
  readonly body: Buffer;
  readonly type: string;
}

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** The folder of an installed package (its `package.json` may not be exported, so resolve its entry and walk up). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (path.basename(dir) !== name && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * vega-interpreter ships only as an ES module importing `vega-util`; the page loads classic
 * scripts (no import map: the CSP allows no inline script), so the three names it imports are
 * taken from the `vega` global, which re-exports them, and the interpreter becomes a global.
 */
export function toClassicScript(moduleText: string): string {
  const imports = /^import \{([^}]*)\} from 'vega-util';$/m;
  const exports = /^export \{ (\w+) as expressionInterpreter \};$/m;
  const names = imports.exec(moduleText)?.[1];
  const exported = exports.exec(moduleText)?.[1];
  if (!names || !exported) throw new Error("vega-interpreter's build changed: expected one import from vega-util and one export");
  const body = moduleText.replace(imports, `const {${names}} = globalThis.vega;`).replace(exports, `globalThis.vegaInterpreter = { expressionInterpreter: ${exported} };`);
  return `(function () {\n"use strict";\n${body}\n})();\n`;
}

/** Our own page files: beside this module (src/web/assets), or copied beside the compiled one. */
const own = (file: string) => path.join(here, "assets", file);

const SOURCES: Readonly<Record<string, { file: () => string; type: string; transform?: (text: string) => string }>> = {
  "vega.min.js": { file: () => path.join(packageDir("vega"), "build/vega.min.js"), type: "text/javascript; charset=utf-8" },
  "vega-lite.min.js": { file: () => path.join(packageDir("vega-lite"), "build/vega-lite.min.js"), type: "text/javascript; charset=utf-8" },
  "vega-interpreter.js": { file: () => path.join(packageDir("vega-interpreter"), "build/vega-interpreter.js"), type: "text/javascript; charset=utf-8", transform: toClassicScript },
  "job-page.js": { file: () => own("job-page.js"), type: "text/javascript; charset=utf-8" },
  "job-page.css": { file: () => own("job-page.css"), type: "text/css; charset=utf-8" },
};

const cache = new Map<string, Promise<WebAsset>>();

/** The page's scripts and styles, by name, read once; undefined for any other name. */
export function loadWebAsset(name: string): Promise<WebAsset> | undefined {
  const source = Object.hasOwn(SOURCES, name) ? SOURCES[name] : undefined;
  if (!source) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    asset = readFile(source.file(), "utf8").then((text) => ({ body: Buffer.from(source.transform ? source.transform(text) : text), type: source.type }));
    // A failed read is retried on the next request.
    asset.catch(() => cache.delete(name));
    cache.set(name, asset);
  }
  return asset;
}

export const WEB_ASSET_NAMES = Object.keys(SOURCES);
