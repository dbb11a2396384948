import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/**
 * The cores this process can use (the default of SERVE_WORKERS for the inference server, and
 * the vCPUs the local runner reports for a job's costs): the CPUs it may run on
 * (`os.availableParallelism()`), or fewer when a cgroup v2 CPU quota allows less (`cpu.max`,
 * as Cloud Run, Kubernetes `limits.cpu` and `docker run --cpus` set it), rounded up. Without a
 * quota (no file, or `max`) it is the CPU count.
 */
export function countUsableCores(params: { cpus?: number; cpuMax?: string } = {}): number {
  const cpus = params.cpus ?? availableParallelism();
  const quota = /^(\d+) (\d+)$/.exec((params.cpuMax ?? readCpuMax()).trim());
  if (!quota) return cpus;
  return Math.max(1, Math.min(cpus, Math.ceil(Number(quota[1]) / Number(quota[2]))));
}

function readCpuMax(): string {
  try {
    return readFileSync("/sys/fs/cgroup/cpu.max", "utf8");
  } catch {
    return "max";
  }
}
