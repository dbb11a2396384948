import path from "node:path";
import { describe, expect, it } from "vitest";
import { countUsableCores } from "../../src/host/count-usable-cores.js";
import { parseServeConfig } from "../../src/serve/serve-config.js";

describe("parseServeConfig", () => {
  it("has defaults for a laptop: 127.0.0.1:8080, the pipeline's model, a worker per core", () => {
    expect(parseServeConfig({ env: {}, cwd: "/repo" })).toEqual({
      ok: true,
      value: {
        modelPath: path.resolve("/repo/ml/models/model.onnx"),
        host: "127.0.0.1",
        port: 8080,
        maxBatch: 1000,
        maxBodyBytes: 1048576,
        workers: countUsableCores(),
        intraOpThreads: 1,
        shutdownTimeoutMs: 10000,
        logLevel: "info",
      },
    });
  });

  it("reads the environment, PORT when SERVE_PORT is unset, and lets flags win", () => {
    const env = { MODEL_PATH: "/models/m.onnx", SERVE_HOST: "0.0.0.0", PORT: "9000", SERVE_MAX_BATCH: "64", LOG_LEVEL: "debug", SERVE_INTRA_OP_THREADS: " ", SERVE_WORKERS: "3" };
    const result = parseServeConfig({ env, cwd: "/repo", flags: { maxBatch: "32" } });
    expect(result.ok && result.value).toMatchObject({ modelPath: "/models/m.onnx", host: "0.0.0.0", port: 9000, maxBatch: 32, logLevel: "debug", intraOpThreads: 1, workers: 3 });
    const both = parseServeConfig({ env: { PORT: "9000", SERVE_PORT: "9100" }, cwd: "/repo" });
    expect(both.ok && both.value.port).toBe(9100);
  });

  it("names every bad variable or flag and the value given", () => {
    const result = parseServeConfig({ env: { PORT: "http", SERVE_MAX_BODY_BYTES: "1.5", LOG_LEVEL: "loud" }, cwd: "/", flags: { maxBatch: "0" } });
    expect(result).toEqual({
      ok: false,
      error: [
        { file: "environment variable PORT", message: 'must be a whole number, like 8080 (got "http")' },
        { file: "--max-batch", message: 'must be at least 1 (got "0")' },
        { file: "environment variable SERVE_MAX_BODY_BYTES", message: 'must be a whole number, like 1048576 (got "1.5")' },
        { file: "environment variable LOG_LEVEL", message: expect.stringMatching(/^Invalid option: expected one of "fatal"\|.*\(got "loud"\)$/) },
      ],
    });
  });
});
