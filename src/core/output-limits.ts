/** How much of a job's outputs the bot takes: per file, per collection, and how many files. */
export interface OutputLimits {
  readonly perFileBytes: number;
  readonly totalBytes: number;
  readonly maxFiles: number;
}

const MiB = 1024 * 1024;

/** Metrics and params files: small texts the report parses. */
export const TEXT_OUTPUT_LIMITS: OutputLimits = { perFileBytes: 1 * MiB, totalBytes: 8 * MiB, maxFiles: 64 };

/** Plots and other stored outputs, and what a remote run brings back. */
export const FILE_OUTPUT_LIMITS: OutputLimits = { perFileBytes: 20 * MiB, totalBytes: 100 * MiB, maxFiles: 500 };
