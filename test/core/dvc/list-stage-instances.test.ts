import { describe, expect, it } from "vitest";
import { interpolateInstancePath } from "../../../src/core/dvc/interpolate-instance-path.js";
import { parseDvcYaml } from "../../../src/core/dvc/parse-dvc-yaml.js";

/** The instance keys dvc.yaml's stage `s` generates (see the v4..v5 fixture for what real dvc does with them). */
function instances(stage: string): string[] | null {
  const parsed = parseDvcYaml({ file: "dvc.yaml", text: `stages:\n  s:\n${stage}` });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const found = parsed.value.stages.get("s")?.instances;
  return found ? found.map((i) => i.key) : null;
}

describe("listStageInstances (through parseDvcYaml) and interpolateInstancePath", () => {
  it("names instances as dvc.parsing does", () => {
    expect(instances("    foreach: [a, 1, true, null]\n    do: {cmd: x}\n")).toEqual(["a", "1", "true", "None"]);
    expect(instances("    foreach: [{n: a}, {n: b}]\n    do: {cmd: x}\n")).toEqual(["0", "1"]);
    expect(instances("    foreach: [a, [1]]\n    do: {cmd: x}\n")).toEqual(["0", "1"]);
    expect(instances("    foreach: {us: 1, eu: 2}\n    do: {cmd: x}\n")).toEqual(["us", "eu"]);
    expect(instances("    matrix: {lr: [1, 2], opt: [x, y]}\n    cmd: x\n")).toEqual(["1-x", "1-y", "2-x", "2-y"]);
    expect(instances("    matrix: {m: [{a: 1}, {a: 2}], s: [p]}\n    cmd: x\n")).toEqual(["m0-p", "m1-p"]);
    expect(instances("    cmd: x\n")).toBeNull(); // not templated
  });

  it("says unknown (every dvc.lock instance counts) for what needs vars, or floats, or a product too large to list", () => {
    expect(instances("    foreach: ${models}\n    do: {cmd: x}\n")).toBeNull();
    expect(instances("    foreach: [a, '${b}']\n    do: {cmd: x}\n")).toBeNull();
    expect(instances("    foreach: [0.5, 1.5]\n    do: {cmd: x}\n")).toBeNull();
    expect(instances(`    matrix: {lr: "${"${lrs}"}"}\n    cmd: x\n`)).toBeNull();
    const axis = `[${Array.from({ length: 100 }, (_, i) => i).join(", ")}]`;
    expect(instances(`    matrix: {a: ${axis}, b: ${axis}, c: ${axis}}\n    cmd: x\n`)).toBeNull(); // 1,000,000
    expect(instances(`    matrix: {a: ${axis}, b: ${axis}}\n    cmd: x\n`)).toHaveLength(10_000);
  });

  it("interpolates an instance's outs from key, item and item fields, and nothing else", () => {
    const parsed = parseDvcYaml({ file: "dvc.yaml", text: "stages:\n  s:\n    foreach: {us: {bucket: b-us, n: 1, f: 1.5}}\n    do: {cmd: x}\n" });
    const instance = parsed.ok ? parsed.value.stages.get("s")?.instances?.[0] : undefined;
    expect(instance).toEqual({ key: "us", item: { bucket: "b-us", n: 1, f: { float: "1.5" } } });
    expect(interpolateInstancePath("out/${key}-${ item.bucket }-${item.n}.txt", instance!)).toBe("out/us-b-us-1.txt");
    expect(interpolateInstancePath("plain.txt", instance!)).toBe("plain.txt");
    for (const unknown of ["${item.f}", "${item}", "${item.missing}", "${vars.x}", "${item[0]}", "${key", "${item.bucket.x}"]) {
      expect(interpolateInstancePath(unknown, instance!), unknown).toBeNull();
    }
  });
});
