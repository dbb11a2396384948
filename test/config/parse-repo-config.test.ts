import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/parse-repo-config.js";
import { formatProblem } from "../../src/core/problem.js";

function problems(text: string): string[] {
  const result = parseRepoConfig(text);
  if (result.ok) throw new Error("expected problems");
  return result.error.map(formatProblem);
}

describe("parseRepoConfig", () => {
  it("fills every default when the file is missing or empty", () => {
    for (const text of [undefined, "", "# nothing here\n"]) {
      const result = parseRepoConfig(text);
      expect(result.ok && result.value.pipeline).toEqual({
        workdir: "ml",
        train: ["dvc", "repro"],
        params: ["params.yaml"],
        metrics: ["metrics.json"],
        plots: ["plots/"],
        timeout: 1800,
        env: [],
        log_limit_mb: 20,
        model: "models/model.onnx",
      });
      expect(result.ok && result.value.permissions).toEqual({
        train: "write",
        cancel: "write",
        diff: "write",
        build: "maintain",
        "ok-to-train": "maintain",
        deploy: "maintain",
        help: "read",
        doctor: "maintain",
      });
      expect(result.ok && result.value.sandbox).toEqual({ network: true });
      expect(result.ok && result.value.deploy).toEqual({ on_merge: false });
    }
  });

  it("turns the job's network off with sandbox.network: false, and refuses anything else there", () => {
    const result = parseRepoConfig("sandbox:\n  network: false\n");
    expect(result.ok && result.value.sandbox).toEqual({ network: false });
    expect(problems("sandbox:\n  network: off\n  uid: 0\n")).toEqual([
      ".github/mlops-bot.yml:2:12: Invalid input: expected boolean, received string (at `sandbox.network`).",
      '.github/mlops-bot.yml:3:3: unknown key "uid"; valid keys here: network (at `sandbox`).',
    ]);
  });

  it("reads the documented example", () => {
    const result = parseRepoConfig(
      [
        "pipeline:",
        "  workdir: ml",
        "  train: [dvc, repro]",
        "  timeout: 45m",
        "runner: docker",
        "gates:",
        "  accuracy: { min: 0.85, max_drop: 0.01 }",
        "permissions:",
        "  train: maintain",
        "forks: deny",
      ].join("\n"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.pipeline.timeout).toBe(2700);
    expect(result.value.runner).toBe("docker");
    expect(result.value.gates).toEqual({ accuracy: { min: 0.85, max_drop: 0.01 } });
    expect(result.value.permissions.train).toBe("maintain");
    expect(result.value.permissions.build).toBe("maintain");
    expect(result.value.forks).toBe("deny");
  });

  it("names the line and what to change for wrong values and unknown keys", () => {
    expect(problems("pipeline:\n  workdir: ../outside\n  timout: 3m\nrunner: k8s\n")).toEqual([
      '.github/mlops-bot.yml:2:12: must be a path inside the repository (relative, without "..") (at `pipeline.workdir`).',
      ".github/mlops-bot.yml:3:3: unknown key \"timout\"; valid keys here: workdir, train, params, metrics, plots, timeout, env, log_limit_mb, image, model (at `pipeline`).",
      '.github/mlops-bot.yml:4:9: Invalid option: expected one of "local"|"docker"|"cloud-run" (at `runner`).',
    ]);
  });

  it("reports broken YAML with its line instead of throwing", () => {
    expect(problems("pipeline:\n  train: [dvc\n")[0]).toMatch(/^\.github\/mlops-bot\.yml:3:1: is not valid YAML: /);
    expect(problems("forks: deny\nforks: deny\n")[0]).toBe(".github/mlops-bot.yml:2:1: the key `forks` appears twice in one mapping.");
  });

  it("reads hostile YAML under the limits: an alias with no anchor, an alias bomb, a custom tag, deep brackets", () => {
    expect(problems("forks: deny\npipeline: *oops\n")).toEqual([".github/mlops-bot.yml:2:11: the alias `*oops` names no anchor `&oops` above it."]);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)].join("\n");
    expect(problems(bomb)[0]).toMatch(/holds more than 1000000 values once its aliases are expanded/);
    expect(problems("runner: !!python/object:os.system local\n")[0]).toMatch(/:1:\d+: the tag `tag:yaml.org,2002:python\/object:os.system` is not allowed/);
    expect(problems(`pipeline: ${"[".repeat(100_000)}`)[0]).toMatch(/:1:\d+: nesting is deeper than 64 levels/);
    expect(problems(`x: "${"y".repeat(300 * 1024)}"`)[0]).toBe(".github/mlops-bot.yml: is larger than the 256 KiB the bot reads of a bot config, so it was not read.");
  });

  it("rejects a document that is not a mapping", () => {
    expect(problems("- train\n")).toEqual([".github/mlops-bot.yml:1:1: Invalid input: expected object, received array."]);
  });

  it("rejects bad durations and env names", () => {
    expect(problems("pipeline:\n  timeout: soon\n  env: [lower]\n")).toEqual([
      '.github/mlops-bot.yml:2:12: must be a duration like "90s", "30m" or "2h" (at `pipeline.timeout`).',
      ".github/mlops-bot.yml:3:9: must be an environment variable name (at `pipeline.env.0`).",
    ]);
  });
});
