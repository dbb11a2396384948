/**
 * Values of a curve at evenly spaced x positions (`grid`, ascending), for charts that space their
 * points evenly (Mermaid's xychart). `interpolate`: straight lines between the points, sorted by
 * x (ties keep the file's order, so a ROC's vertical step reaches its top); `mean`: the mean y of
 * the points nearest each grid position (scatter, smooth), gaps filled between neighbours.
 * Outside the curve's x range the nearest end value is held. Linear after the sort.
 */
export function resampleCurve(points: ReadonlyArray<readonly [number, number]>, grid: readonly number[], mode: "interpolate" | "mean"): number[] {
  if (points.length === 0) return grid.map(() => 0);
  const sorted = points.map((p, i) => [p[0], p[1], i] as const).sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  return mode === "interpolate" ? interpolate(sorted, grid) : binMeans(sorted, grid);
}

function interpolate(sorted: ReadonlyArray<readonly [number, number, number]>, grid: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0; // first point with x > g
  for (const g of grid) {
    while (j < sorted.length && sorted[j]![0] <= g) j++;
    if (j === 0) out.push(sorted[0]![1]);
    else if (j === sorted.length) out.push(sorted[j - 1]![1]);
    else {
      const [x0, y0] = sorted[j - 1]!;
      const [x1, y1] = sorted[j]!;
      out.push(x1 === x0 ? y1 : y0 + ((y1 - y0) * (g - x0)) / (x1 - x0));
    }
  }
  return out;
}

function binMeans(sorted: ReadonlyArray<readonly [number, number, number]>, grid: readonly number[]): number[] {
  const sums = grid.map(() => 0);
  const counts = grid.map(() => 0);
  let k = 0;
  for (const [x, y] of sorted) {
    // The grid position nearest x: grid and points are both ascending.
    while (k + 1 < grid.length && Math.abs(grid[k + 1]! - x) <= Math.abs(grid[k]! - x)) k++;
    sums[k]! += y;
    counts[k]!++;
  }
  const means: Array<number | undefined> = sums.map((s, i) => (counts[i] ? s / counts[i] : undefined));
  // Fill empty positions between the nearest filled neighbours (held at the ends).
  const out: number[] = [];
  let prev = -1;
  for (let i = 0; i < means.length; i++) {
    if (means[i] === undefined) continue;
    for (let e = prev + 1; e < i; e++) {
      const left = prev >= 0 ? means[prev]! : means[i]!;
      out[e] = prev >= 0 ? left + ((means[i]! - left) * (e - prev)) / (i - prev) : means[i]!;
    }
    out[i] = means[i]!;
    prev = i;
  }
  for (let e = prev + 1; e < means.length; e++) out[e] = prev >= 0 ? means[prev]! : 0;
  return out;
}
