const UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** Bytes -> `48.2 MB` (SI, one decimal from kB on); `signed` prefixes `+` / `-`. */
export function renderByteSize(bytes: number, options: { signed?: boolean } = {}): string {
  const sign = options.signed ? (bytes > 0 ? "+" : bytes < 0 ? "-" : "±") : bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit > 0 && Number(value.toFixed(1)) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${sign}${unit === 0 ? String(value) : value.toFixed(1)} ${UNITS[unit]}`;
}
