import { describe, expect, it } from "vitest";
import { countUsableCores } from "../../src/host/count-usable-cores.js";

describe("countUsableCores", () => {
  it("is the CPU count, or a cgroup CPU quota's cores rounded up when that is fewer", () => {
    expect(countUsableCores({ cpus: 8, cpuMax: "max 100000\n" })).toBe(8);
    expect(countUsableCores({ cpus: 8, cpuMax: "150000 100000\n" })).toBe(2);
    expect(countUsableCores({ cpus: 8, cpuMax: "50000 100000" })).toBe(1);
    expect(countUsableCores({ cpus: 4, cpuMax: "800000 100000" })).toBe(4);
    expect(countUsableCores({ cpus: 4, cpuMax: "" })).toBe(4);
  });
});
