/**
 * A value as Python's `str()` prints it, the way DVC shows lists (`[8, 4]`, `['a', 'b']`) in
 * `params diff` output: `True`, `None`, floats in Python's repr (`1e-05`, `1e+16`).
 */
export function formatPythonValue(value: unknown, nested = false): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof Number) return formatPythonFloat(value.valueOf());
  if (typeof value === "number") return formatPythonNumber(value);
  if (typeof value === "string") return nested ? pythonStringRepr(value) : value;
  if (Array.isArray(value)) return `[${value.map((v) => formatPythonValue(v, true)).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pythonStringRepr(k)}: ${formatPythonValue(v, true)}`)
      .join(", ")}}`;
  }
  return typeof value === "bigint" ? value.toString() : typeof value === "symbol" ? value.toString() : "";
}

/** A value known to be a float, as Python prints it: `100000.0`, `0.5`, `1e+16`, `inf`. */
export function formatPythonFloat(n: number): string {
  const repr = formatPythonNumber(n);
  return /[.en]/.test(repr) ? repr : `${repr}.0`;
}

/** Python's float repr: shortest digits, exponent form below 1e-4 and from 1e16. Integers print as ints. */
export function formatPythonNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const [mantissa, exp] = n.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e >= -4 && e < 16) return String(n);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\t", "\\t").replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}
