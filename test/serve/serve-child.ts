import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { parity } from "./serve-fixture.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Runs a command in the repository; collects stdout/stderr lines and the exit code. */
export function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const out: string[] = [];
  const err: string[] = [];
  const waiters: (() => void)[] = [];
  const collect = (into: string[]) => {
    let partial = ""; // a line can be split between two chunks
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop()!;
      into.push(...lines.filter(Boolean));
      for (const wake of waiters.splice(0)) wake();
    };
  };
  child.stdout.on("data", collect(out));
  child.stderr.on("data", collect(err));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  /** The JSON log lines with this message so far. */
  const logLines = (msg: string): Record<string, unknown>[] => out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
  /** The `n`th JSON log line with this message (the first by default), once it is written. */
  const logLine = async (msg: string, n = 1): Promise<Record<string, unknown>> => {
    for (;;) {
      const line = logLines(msg)[n - 1];
      if (line) return line;
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before "${msg}": ${[...out, ...err].join("\n")}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { child, out, err, exited, logLine, logLines };
}

export async function predictOne(url: string) {
  const res = await fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instances: [parity.instances[1]] }) });
  return { status: res.status, json: (await res.json()) as { predictions: { label: number }[] } };
}

