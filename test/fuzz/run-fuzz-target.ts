import { performance } from "node:perf_hooks";
import fc from "fast-check";
import type { FuzzTarget } from "./fuzz-targets.js";

export interface FuzzReport {
  readonly name: string;
  readonly runs: number;
  readonly throws: number;
  /** The first input that threw, and what it threw. */
  readonly firstThrow?: { readonly input: string; readonly error: string };
  readonly slowestMs: number;
  readonly slowestInput: string;
}

/** An input in a table cell: crafted ones by name, others as JSON cut to `max` characters. */
export function describeInput(input: unknown, max = 40): string {
  const text = Buffer.isBuffer(input) ? input.toString("utf8") : typeof input === "string" ? input : JSON.stringify(input) ?? String(input);
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return text.length > max ? `${shown} (${text.length.toLocaleString("en-US")} chars)` : shown;
}

/**
 * Feeds a parser `numRuns` generated inputs (fast-check, reproducible by `seed`) and its crafted
 * 1 MB inputs; counts throws and times every call. Never throws itself.
 */
export function runFuzzTarget(target: FuzzTarget, params: { numRuns: number; seed: number; crafted?: boolean }): FuzzReport {
  let throws = 0;
  let firstThrow: FuzzReport["firstThrow"];
  let slowest = { ms: -1, input: "" };
  const call = (input: unknown, label?: string) => {
    const started = performance.now();
    try {
      target.run(input);
    } catch (e) {
      throws++;
      firstThrow ??= { input: label ?? describeInput(input, 200), error: `${(e as Error).name}: ${(e as Error).message}`.slice(0, 300) };
    }
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms, input: label ?? describeInput(input) };
  };
  fc.assert(
    fc.property(target.inputs, (input) => {
      call(input);
      return true;
    }),
    { numRuns: params.numRuns, seed: params.seed },
  );
  const crafted = params.crafted === false ? [] : target.crafted;
  for (const [name, make] of crafted) call(make(), `crafted: ${name}`);
  return { name: target.name, runs: params.numRuns + crafted.length, throws, ...(firstThrow ? { firstThrow } : {}), slowestMs: slowest.ms, slowestInput: slowest.input };
}
