import { describe, expect, it } from "vitest";
import { cloudRunResources } from "../../../src/adapters/runners/cloud-run-resources.js";

describe("cloudRunResources (an execution's template -> what its task ran with)", () => {
  it("reads the container limits as Cloud Run writes them", () => {
    expect(cloudRunResources({ containers: [{ resources: { limits: { cpu: "2", memory: "4Gi" } } }] })).toEqual({ vcpu: 2, memoryGiB: 4, gpu: null, basis: "limits" });
    expect(cloudRunResources({ containers: [{ resources: { limits: { cpu: "1000m", memory: "512Mi" } } }] })).toEqual({ vcpu: 1, memoryGiB: 0.5, gpu: null, basis: "limits" });
    expect(cloudRunResources({ containers: [{ resources: { limits: { cpu: "0.5", memory: "1G" } } }] }).memoryGiB).toBeCloseTo(1e9 / 2 ** 30, 10);
  });

  it("takes the GPU type from the node selector and the count from the limits", () => {
    const template = { containers: [{ resources: { limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" } } }], nodeSelector: { accelerator: "nvidia-l4" } };
    expect(cloudRunResources(template)).toEqual({ vcpu: 4, memoryGiB: 16, gpu: { type: "nvidia-l4", count: 1 }, basis: "limits" });
  });

  it("sums sidecars, and counts what it cannot read (or no template) as Cloud Run's default of 1 vCPU and 512 MiB", () => {
    expect(cloudRunResources({ containers: [{ resources: { limits: { cpu: "2", memory: "4Gi" } } }, { resources: { limits: { cpu: "1", memory: "1Gi" } } }] })).toMatchObject({ vcpu: 3, memoryGiB: 5 });
    expect(cloudRunResources(undefined)).toEqual({ vcpu: 1, memoryGiB: 0.5, gpu: null, basis: "limits" });
    expect(cloudRunResources({ containers: [{ resources: { limits: { cpu: "lots", memory: "4 bananas" } } }] })).toMatchObject({ vcpu: 1, memoryGiB: 0.5 });
  });
});
