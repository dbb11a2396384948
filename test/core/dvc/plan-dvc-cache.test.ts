import { describe, expect, it } from "vitest";
import { planDvcCache } from "../../../src/core/dvc/plan-dvc-cache.js";

describe("planDvcCache", () => {
  it("a default-branch job: its layer is DVC's cache dir, the command is left alone", () => {
    const plan = planDvcCache({ argv: ["dvc", "repro"], layers: { own: "/c/o/r/default" } });
    expect(plan.argv).toEqual(["dvc", "repro"]);
    expect(plan.readsBase).toBe(false);
    expect(plan.configLocal).toBe(
      "# Written by mlops-bot for this job: the shared DVC cache (see docs/architecture.md).\n[cache]\n    dir = /c/o/r/default\n",
    );
  });

  it("a pull request's job: its own layer, the base as the default remote, and `dvc repro --pull` to restore from it", () => {
    const plan = planDvcCache({ argv: ["dvc", "repro", "train"], layers: { own: "/c/o/r/pr-7", base: "/c/o/r/default" } });
    expect(plan.argv).toEqual(["dvc", "repro", "--pull", "train"]);
    expect(plan.readsBase).toBe(true);
    expect(plan.configLocal).toContain("[cache]\n    dir = /c/o/r/pr-7\n");
    expect(plan.configLocal).toContain(`['remote "mlops-bot-base"']\n    url = /c/o/r/default\n[core]\n    remote = mlops-bot-base\n`);
  });

  it("an empty base layer is named but not pulled from: plain `dvc repro`", () => {
    const plan = planDvcCache({ argv: ["dvc", "repro"], layers: { own: "/c/o/r/pr-7", base: "/c/o/r/default", baseEmpty: true } });
    expect(plan.argv).toEqual(["dvc", "repro"]);
    expect(plan.readsBase).toBe(false);
    expect(plan.configLocal).toContain(`['remote "mlops-bot-base"']\n    url = /c/o/r/default\n`);
    expect(plan.configLocal).not.toContain("[core]");
  });

  it("another command keeps its own default remote: the base is only named, and the command is not changed", () => {
    for (const argv of [["sh", "-c", "dvc pull && dvc repro"], ["dvc", "repro", "--pull"], ["make", "train"]]) {
      const plan = planDvcCache({ argv, layers: { own: "/c/pr-1", base: "/c/default" } });
      expect(plan.argv).toEqual(argv);
      expect(plan.readsBase).toBe(false);
      expect(plan.configLocal).not.toContain("[core]");
      expect(plan.configLocal).toContain('remote "mlops-bot-base"');
    }
  });

  it("refuses a path DVC's config file could not hold as it is", () => {
    expect(() => planDvcCache({ argv: ["dvc", "repro"], layers: { own: "/c/x\n[core]" } })).toThrow(/cannot be written into DVC's config/);
    expect(() => planDvcCache({ argv: ["dvc", "repro"], layers: { own: "relative/dir" } })).toThrow(/cannot be written/);
  });
});
