/** Prices of one runner's resources, per hour of wall time. */
export interface RunnerPrices {
  readonly vcpuHour: number;
  readonly gibHour: number;
  /** By GPU type, as the runner names it (Cloud Run's accelerator: `nvidia-l4`). */
  readonly gpuHour: Readonly<Record<string, number>>;
}

/** What a run costs, per runner; every amount in `currency`. */
export interface PriceTable {
  readonly currency: string;
  readonly runners: Readonly<Record<string, RunnerPrices>>;
}

/**
 * The defaults: Cloud Run Jobs' list prices in a Tier 1 region (like us-central1 or
 * europe-west1), USD, late 2025, from https://cloud.google.com/run/pricing (jobs are billed for
 * the whole task at the instance-based rates: $0.000018 per vCPU-second, $0.000002 per
 * GiB-second, NVIDIA L4 $0.0001867 per GPU-second without zonal redundancy), per hour here; the
 * monthly free tier is left out, so the estimate is an upper bound. The local and Docker runners
 * run on a machine you already pay for: 0 until `MLOPS_PRICES` says what an hour of it costs.
 */
export const DEFAULT_PRICES: PriceTable = {
  currency: "USD",
  runners: {
    "cloud-run": { vcpuHour: 0.0648, gibHour: 0.0072, gpuHour: { "nvidia-l4": 0.67212 } },
    docker: { vcpuHour: 0, gibHour: 0, gpuHour: {} },
    local: { vcpuHour: 0, gibHour: 0, gpuHour: {} },
  },
};
