/** A Prometheus histogram: cumulative counts per upper bound, plus sum and count. */
export class Histogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  /** The `_bucket` (with `le="+Inf"`), `_sum` and `_count` lines; `labels` is `a="b",` or "". */
  render(name: string, labels: string): string {
    let out = "";
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out += `${name}_bucket{${labels}le="${this.bounds[i]}"} ${cumulative}\n`;
    }
    out += `${name}_bucket{${labels}le="+Inf"} ${this.count}\n`;
    const plain = labels === "" ? "" : `{${labels.slice(0, -1)}}`;
    return `${out}${name}_sum${plain} ${this.sum}\n${name}_count${plain} ${this.count}\n`;
  }
}
