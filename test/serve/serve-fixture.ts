import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterEach } from "vitest";
import type { ServeConfig } from "../../src/serve/serve-config.js";
import { startServer, type ModelLoader, type ServerHandle } from "../../src/serve/start-server.js";

/** The example model and its scikit-learn parity set (test/fixtures/model/README.md). */
export const MODEL_PATH = fileURLToPath(new URL("../fixtures/model/model.onnx", import.meta.url));

export interface Parity {
  readonly feature_names: string[];
  readonly classes: number[];
  readonly instances: number[][];
  readonly probabilities: number[][];
  readonly labels: number[];
  readonly tolerance: number;
}

export const parity = JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/model/parity.json", import.meta.url)), "utf8")) as Parity;

export const silentLogger = pino({ level: "silent" });

const started: ServerHandle[] = [];

/** A real server on 127.0.0.1 (a free port) with the fixture model; closed after the test. */
export async function startTestServer(params: { config?: Partial<ServeConfig>; load?: ModelLoader; waitReady?: boolean } = {}): Promise<ServerHandle> {
  const handle = await startServer({
    config: {
      modelPath: MODEL_PATH,
      host: "127.0.0.1",
      port: 0,
      maxBatch: 1000,
      maxBodyBytes: 1 << 20,
      intraOpThreads: 1,
      shutdownTimeoutMs: 5000,
      ...params.config,
    },
    logger: silentLogger,
    ...(params.load ? { load: params.load } : {}),
  });
  started.push(handle);
  if (params.waitReady !== false) await handle.ready;
  return handle;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close("test done")));
});

/** POST a JSON body (a string is sent as is) to /predict. */
export async function predict(handle: ServerHandle, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${handle.url}/predict`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}
