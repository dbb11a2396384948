/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): keeps `target` of the points, in order,
 * choosing in each bucket the point that spans the largest triangle with its neighbours, so
 * peaks, steps and corners survive. Linear in the number of points. Fewer points are returned as is.
 */
export function decimatePoints(points: ReadonlyArray<readonly [number, number]>, target: number): Array<[number, number]> {
  const n = points.length;
  if (n <= target) return points.map(([x, y]) => [x, y]);
  if (target < 3) return [points[0]!, points[n - 1]!].slice(0, Math.max(target, 0)).map(([x, y]) => [x, y]);
  const out: Array<[number, number]> = [[points[0]![0], points[0]![1]]];
  const size = (n - 2) / (target - 2);
  let a = 0;
  for (let i = 0; i < target - 2; i++) {
    const start = Math.floor(i * size) + 1;
    const end = Math.min(Math.floor((i + 1) * size) + 1, n - 1);
    // The average of the next bucket is the third corner.
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * size) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += points[j]![0];
      avgY += points[j]![1];
    }
    const count = Math.max(nextEnd - nextStart, 1);
    avgX /= count;
    avgY /= count;
    const [ax, ay] = points[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const [x, y] = points[j]!;
      const area = Math.abs((ax - avgX) * (y - ay) - (ax - x) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push([points[best]![0], points[best]![1]]);
    a = best;
  }
  out.push([points[n - 1]![0], points[n - 1]![1]]);
  return out;
}
