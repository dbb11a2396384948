import type { RunnerResources } from "../../core/costs/run-resources.js";

/** The part of a Cloud Run v2 `TaskTemplate` (an execution's `template`) that says what a task gets. */
export interface TaskTemplateSizes {
  readonly containers?: ReadonlyArray<{ readonly resources?: { readonly limits?: Readonly<Record<string, string>> | null } | null }> | null;
  readonly nodeSelector?: { readonly accelerator?: string | null } | null;
}

/** Cloud Run's defaults for a job's task without limits: 1 vCPU, 512 MiB. */
const DEFAULT_CPU = 1;
const DEFAULT_MEMORY_GIB = 0.5;

/**
 * The vCPUs, memory and GPU a Cloud Run task ran with, from its execution's template: the limits
 * of its containers (`cpu` as "2" or "1000m", `memory` as "4Gi", "512Mi" or "1G", `nvidia.com/gpu`)
 * summed, and the GPU type from `nodeSelector.accelerator`. A limit it cannot read counts as
 * Cloud Run's default.
 */
export function cloudRunResources(template: TaskTemplateSizes | null | undefined): RunnerResources {
  const containers = template?.containers?.length ? template.containers : [{}];
  let vcpu = 0;
  let memoryGiB = 0;
  let gpus = 0;
  for (const container of containers) {
    const limits = container.resources?.limits ?? {};
    vcpu += readCpu(limits.cpu) ?? DEFAULT_CPU;
    memoryGiB += readMemoryGiB(limits.memory) ?? DEFAULT_MEMORY_GIB;
    gpus += Number.parseInt(limits["nvidia.com/gpu"] ?? "0", 10) || 0;
  }
  const accelerator = template?.nodeSelector?.accelerator;
  return { vcpu, memoryGiB, gpu: accelerator ? { type: accelerator, count: Math.max(1, gpus) } : null, basis: "limits" };
}

function readCpu(text: string | undefined): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(text ?? "");
  if (!m) return undefined;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

const MEMORY_UNITS: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

function readMemoryGiB(text: string | undefined): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k|M|G|T|Ki|Mi|Gi|Ti)?\s*$/.exec(text ?? "");
  if (!m) return undefined;
  return (Number(m[1]) * MEMORY_UNITS[m[2] ?? ""]!) / 2 ** 30;
}
