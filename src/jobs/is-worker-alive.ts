import { hostname } from "node:os";

/** A worker id names its host and process: `host:pid:nonce`. */
export function workerId(nonce: string): string {
  return `${hostname()}:${process.pid}:${nonce}`;
}

/**
 * Whether the worker that claimed a job may still be running it. A worker on this host is alive
 * if its process is; one on another host is assumed alive (a shared store needs leases for that).
 */
export function isWorkerAlive(id: string | null, self: string): boolean {
  if (!id) return false;
  if (id === self) return true;
  const [host, pid] = id.split(":");
  if (host !== hostname()) return true;
  if (Number(pid) === process.pid) return false; // same process, earlier worker instance: it is gone
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
