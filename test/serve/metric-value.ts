/**
 * The value of the sample `name{labels...}` on a Prometheus text page (the labels given must all
 * match, others may be present), or undefined when there is none. The page itself is written by
 * prom-client; this only looks values up.
 */
export function metricValue(page: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of page.split("\n")) {
    if (line.startsWith("#") || !line.startsWith(name)) continue;
    const brace = line.indexOf("{");
    const space = line.lastIndexOf(" ");
    if ((brace < 0 ? line.slice(0, space) : line.slice(0, brace)) !== name) continue;
    const own = new Map([...line.slice(brace + 1, space).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c))]));
    if (brace < 0) own.clear();
    if (Object.entries(labels).every(([k, v]) => own.get(k) === v)) return Number(line.slice(space + 1));
  }
  return undefined;
}
