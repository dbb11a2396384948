import { describe, expect, it } from "vitest";
import { predictOne, run } from "./serve-child.js";
import { MODEL_PATH, parity } from "./serve-fixture.js";

describe("npm run serve (src/serve/main.ts)", () => {
  it("serves from the environment's settings in one process, and stops cleanly on SIGTERM", async () => {
    const p = run(["--import", "tsx", "src/serve/main.ts"], { MODEL_PATH, SERVE_PORT: "0", SERVE_MAX_BATCH: "7", SERVE_WORKERS: "1" });
    const { url } = (await p.logLine("listening; loading the model")) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await p.logLine("model loaded; ready")).toMatchObject({ level: 30, service: "mlops-bot-serve", model: "gradient_boosting", features: 10 });
    const res = await predictOne(url);
    expect(res.status).toBe(200);
    expect(res.json.predictions[0]!.label).toBe(parity.labels[1]);
    expect(((await (await fetch(`${url}/metadata`)).json()) as { limits: { max_batch: number } }).limits.max_batch).toBe(7);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(await p.logLine("stopped")).toMatchObject({ level: 30 });
  });

  it.each(["1", "2"])("exits 1 when the model cannot be loaded (SERVE_WORKERS=%s)", async (workers) => {
    const p = run(["--import", "tsx", "src/serve/main.ts"], { MODEL_PATH: "/nonexistent/model.onnx", SERVE_PORT: "0", SERVE_WORKERS: workers });
    expect(await p.exited).toBe(1);
    expect(p.out.join("\n")).toContain("cannot serve /nonexistent/model.onnx: no such file");
  });

  it("exits 2 on a bad setting, naming the variable", async () => {
    const p = run(["--import", "tsx", "src/serve/main.ts"], { SERVE_PORT: "eighty", SERVE_INTRA_OP_THREADS: "0" });
    expect(await p.exited).toBe(2);
    expect(p.err.join("\n")).toBe(
      ["serve: invalid configuration:", '  environment variable SERVE_PORT: must be a whole number, like 8080 (got "eighty").', '  environment variable SERVE_INTRA_OP_THREADS: must be at least 1 (got "0").'].join("\n"),
    );
  });
});

describe("mlops-bot serve", () => {
  it("takes --model, --port, --max-batch and --workers, prints where it serves, and stops on SIGINT", async () => {
    const p = run(["--import", "tsx", "src/cli/main.ts", "serve", "--model", MODEL_PATH, "--port", "0", "--max-batch=3", "--workers", "2"], {});
    expect(await p.logLine("model loaded in every worker; ready")).toMatchObject({ workers: 2 });
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(p.err.join("\n"))?.[1];
    expect(url).toBeDefined();
    const tooMany = await fetch(`${url!}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instances: parity.instances.slice(0, 4) }) });
    expect(tooMany.status).toBe(400);
    expect((await predictOne(url!)).status).toBe(200);
    p.child.kill("SIGINT");
    expect(await p.exited).toBe(0);
  });

  it("refuses unknown options and bad values with exit 2", async () => {
    const bad = run(["--import", "tsx", "src/cli/main.ts", "serve", "--gpu"], {});
    expect(await bad.exited).toBe(2);
    expect(bad.err[0]).toBe('mlops-bot serve: unknown option "--gpu"');
    const value = run(["--import", "tsx", "src/cli/main.ts", "serve", "--max-batch", "lots"], {});
    expect(await value.exited).toBe(2);
    expect(value.err.join("\n")).toContain('--max-batch: must be a whole number, like 1000 (got "lots")');
  });
});
