/**
 * A forward search (`indexOf`-like: first match at or after `from`, or -1) that remembers its
 * last answer per key. A later search that starts between the last start and the last answer
 * has the same answer, so a paragraph of many unclosed openers (`<!--`, `"` titles) searches
 * each stretch of text once: linear in total instead of quadratic.
 */
export class RememberedSearch {
  private readonly last = new Map<string, { from: number; found: number }>();

  find(key: string, from: number, search: (from: number) => number): number {
    const last = this.last.get(key);
    if (last && from >= last.from && (last.found < 0 || from <= last.found)) return last.found;
    const found = search(from);
    this.last.set(key, { from, found });
    return found;
  }
}
