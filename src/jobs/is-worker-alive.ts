import { hostname } from "node:os";

/** A worker id names its host and process: `host:pid:nonce`. */
export function workerId(nonce: string): string {
  return `${hostname()}:${process.pid}:${nonce}`;
}

/** The workers started and not stopped in this process. */
const started = new Set<string>();

/** Records that a worker of this process started (`true`) or stopped (`false`). */
export function setWorkerStarted(id: string, running: boolean): void {
  if (running) started.add(id);
  else started.delete(id);
}

/**
 * Whether the worker that claimed a job may still be running it. A worker on this host is alive
 * if its process is (in this process: if it was started and not stopped); one on another host is
 * assumed alive (a shared store uses leases for that).
 */
export function isWorkerAlive(id: string | null, self: string): boolean {
  if (!id) return false;
  if (id === self) return true;
  const [host, pid] = id.split(":");
  if (host !== hostname()) return true;
  if (Number(pid) === process.pid) return started.has(id); // an earlier worker of this process is gone once stopped
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
