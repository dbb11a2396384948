import { readFileSync } from "node:fs";

/**
 * Who owns a run folder or a container: a process, named so that it cannot be confused with a
 * later one that got the same pid (after a restart or a reboot): boot id, pid and the process's
 * start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`).
 */
export interface ProcessIdentity {
  readonly boot: string;
  readonly pid: number;
  readonly start: string;
}

function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "unknown";
  }
}

/** Field 22 (starttime) of /proc/<pid>/stat; undefined when the process does not exist. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces: count after its end.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;

/** This process's identity. */
export function currentProcess(): ProcessIdentity {
  self ??= { boot: bootId(), pid: process.pid, start: startTime(process.pid) ?? "unknown" };
  return self;
}

/** Whether the process that `owner` names is still running (false for anything unreadable or malformed). */
export function isProcessAlive(owner: unknown): boolean {
  if (typeof owner !== "object" || owner === null) return false;
  const { boot, pid, start } = owner as Record<string, unknown>;
  if (typeof boot !== "string" || typeof pid !== "number" || typeof start !== "string") return false;
  if (boot !== currentProcess().boot) return false;
  return startTime(pid) === start;
}

/** The identity as a compact string (a container label), and back. */
export function formatIdentity(id: ProcessIdentity): string {
  return `${id.boot}/${id.pid}/${id.start}`;
}

export function parseIdentity(text: string | undefined): ProcessIdentity | undefined {
  const [boot, pid, start] = (text ?? "").split("/");
  if (!boot || !pid || !start || !/^\d+$/.test(pid)) return undefined;
  return { boot, pid: Number(pid), start };
}
