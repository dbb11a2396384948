import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface GeneratedPair {
  readonly baseHash: string;
  readonly headHash: string;
  readonly baseFiles: number;
  readonly headFiles: number;
  readonly expected: { readonly added: number; readonly deleted: number; readonly modified: number; readonly renamed: number };
}

/**
 * Two `.dir` manifests of `entries` files in DVC's own format (json.dumps, sorted by relpath),
 * the second with `changed` (about 1%) changes split evenly into adds, deletes, modifies and
 * renames; written as DVC 3 cache objects under `<cache>/files/md5/`, named by their md5.
 */
export async function generateManifests(params: { cache: string; entries: number; changed: number }): Promise<GeneratedPair> {
  const { entries, changed } = params;
  const quarter = Math.floor(changed / 4);
  let seed = 0x2545f491;
  const hex = (): string => {
    let s = "";
    for (let k = 0; k < 4; k++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      s += (seed >>> 0).toString(16).padStart(8, "0");
    }
    return s;
  };
  const pad = (n: number, w: number): string => String(n).padStart(w, "0");
  const relpath = (k: number): string => `part-${pad(Math.floor(k / 1000), 4)}/sample-${pad(k, 7)}.csv`;
  const base: [string, string][] = [];
  for (let k = 0; k < entries; k++) base.push([relpath(k), hex()]);

  // Spread the changes over the whole range: every stride-th entry gets one kind of change.
  const stride = Math.floor(entries / (quarter * 3));
  const head: [string, string][] = [];
  let deleted = 0;
  let modified = 0;
  let renamed = 0;
  const renames: [string, string][] = [];
  base.forEach(([p, h], k) => {
    const slot = k % stride === 0 ? (k / stride) % 3 : -1;
    if (slot === 0 && deleted < quarter) deleted++;
    else if (slot === 1 && modified < quarter) {
      modified++;
      head.push([p, hex()]);
    } else if (slot === 2 && renamed < quarter) {
      renamed++;
      renames.push([p.replace("sample-", "moved-"), h]);
    } else head.push([p, h]);
  });
  head.push(...renames);
  for (let k = 0; k < quarter; k++) head.push([`part-${pad(Math.floor(entries / 1000) + 1, 4)}/new-${pad(k, 7)}.csv`, hex()]);
  head.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  const baseHash = await writeManifest(params.cache, base);
  const headHash = await writeManifest(params.cache, head);
  return { baseHash, headHash, baseFiles: base.length, headFiles: head.length, expected: { added: quarter, deleted, modified, renamed } };
}

async function writeManifest(cache: string, entries: readonly [string, string][]): Promise<string> {
  const parts: string[] = [];
  for (const [p, h] of entries) parts.push(`{"md5": "${h}", "relpath": "${p}"}`);
  const text = `[${parts.join(", ")}]`;
  const md5 = createHash("md5").update(text).digest("hex");
  const file = path.join(cache, "files", "md5", md5.slice(0, 2), `${md5.slice(2)}.dir`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return `${md5}.dir`;
}
