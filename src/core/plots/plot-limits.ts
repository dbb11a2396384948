/**
 * Bounds on what the plot code reads from a pull request (dvc.yaml and plot data files are
 * hostile): bigger inputs are refused or cut with a problem that names the file, never parsed
 * whole. Every step below is linear in the bytes read.
 */
export const PLOT_LIMITS = {
  /** dvc.yaml holding the plot definitions. */
  dvcYamlBytes: 1024 * 1024,
  /** One plot data file (JSON, YAML, CSV, TSV). */
  dataFileBytes: 8 * 1024 * 1024,
  /** One YAML plot data file: a YAML reader is 5-10 times slower than JSON's, CSV's (big plot data is written as those). */
  yamlDataFileBytes: 1024 * 1024,
  /** Rows (data points) read from one file; the rest is left out with a note. */
  rowsPerFile: 250_000,
  /** Columns (fields) of one data point. */
  fieldsPerRow: 256,
  /** Nesting of JSON / YAML plot files and dvc.yaml (DVC's own files need 4 or 5). */
  depth: 32,
  /** Plot definitions read from one dvc.yaml. */
  definitions: 50,
  /** Data files read for one side (head or base). */
  files: 100,
  /** Series in one chart (base and head of every y field). */
  seriesPerPlot: 8,
  /** Points kept per series in the stored comparison (the job page draws them). */
  storedPoints: 1000,
  /** Distinct classes in a confusion matrix. */
  confusionClasses: 30,
  /** Characters of a field name, class label or title kept. */
  labelChars: 120,
} as const;
