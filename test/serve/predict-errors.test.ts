import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { metricValue } from "./metric-value.js";
import { parity, predict, startTestServer } from "./serve-fixture.js";

const row = parity.instances[0]!;
const nine = row.slice(1);

/** A raw request over node:http, for what fetch cannot send (chunked bodies, lying lengths). */
function rawRequest(params: { port: number; headers: Record<string, string | number>; chunks: string[]; gapMs?: number }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: params.port, method: "POST", path: "/predict", headers: params.headers, agent: false });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d)).on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    // The server may close the connection while the client is still sending: that is the point.
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
    let k = 0;
    const next = () => {
      if (k === params.chunks.length || req.destroyed) {
        req.end();
        return;
      }
      req.write(params.chunks[k++]);
      setTimeout(next, params.gapMs ?? 0);
    };
    next();
  });
}

/** A keep-alive connection on a raw socket: write bytes, read responses one by one (Content-Length bodies). */
async function openConnection(port: number): Promise<{ write(text: string): void; response(): Promise<{ status: number; headers: Record<string, string>; body: string }>; close(): void }> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  let buffer = "";
  let wake: (() => void) | undefined;
  socket.setEncoding("utf8").on("data", (d: string) => {
    buffer += d;
    wake?.();
  });
  const response = async () => {
    for (;;) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end >= 0) {
        const [statusLine, ...lines] = buffer.slice(0, end).split("\r\n");
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
        const length = Number(headers["content-length"]);
        if (buffer.length >= end + 4 + length) {
          const body = buffer.slice(end + 4, end + 4 + length);
          buffer = buffer.slice(end + 4 + length);
          return { status: Number(statusLine!.split(" ")[1]), headers, body };
        }
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return { write: (text) => socket.write(text), response, close: () => socket.destroy() };
}

describe("POST /predict refuses bad input with a 4xx that says what is wrong", () => {
  const cases: [string, { body: string | object; headers?: Record<string, string> }, { status: number; code: string; message: string | RegExp; field?: string }][] = [
    ["a row with 9 features", { body: { instances: [row, row, row, nine] } }, { status: 400, code: "wrong_feature_count", message: "instances[3] has 9 features; the model takes 10 (f0..f9)", field: "instances[3]" }],
    ['the string "NaN"', { body: { instances: [[...nine, "NaN"]] } }, { status: 400, code: "invalid_feature", message: 'instances[0][9] is a string ("NaN"); JSON has no NaN or Infinity, and the model takes finite numbers only', field: "instances[0][9]" }],
    ["1e999 (Infinity once parsed)", { body: `{"instances": [[${nine.join(",")}, 1e999]]}` }, { status: 400, code: "invalid_feature", message: /^instances\[0\]\[9\] is Infinity/, field: "instances[0][9]" }],
    ["-1e999", { body: `{"instances": [[-1e999, ${nine.join(",")}]]}` }, { status: 400, code: "invalid_feature", message: /^instances\[0\]\[0\] is -Infinity/, field: "instances[0][0]" }],
    ["a value past float32", { body: `{"instances": [[1e39, ${nine.join(",")}]]}` }, { status: 400, code: "invalid_feature", message: "instances[0][0] is 1e+39, outside the float32 range of the model (±3.4e38)", field: "instances[0][0]" }],
    ["a string feature", { body: { instances: [[...nine, "x"]] } }, { status: 400, code: "invalid_feature", message: 'instances[0][9] is a string ("x"); features must be finite numbers', field: "instances[0][9]" }],
    ["an empty batch", { body: { instances: [] } }, { status: 400, code: "empty_batch", message: /^instances is empty/, field: "instances" }],
    ["a batch over --max-batch", { body: { instances: Array.from({ length: 6 }, () => row) } }, { status: 400, code: "batch_too_large", message: "instances has 6 instances; the most in one request is 5 (SERVE_MAX_BATCH): split the batch", field: "instances" }],
    ["a missing instances field", { body: { rows: [row] } }, { status: 400, code: "invalid_body", message: 'the body has no "instances" (it has "rows"); send {"instances": [[f0, ..., f9], ...]}', field: "instances" }],
    ["an object missing a feature", { body: { instances: [{ f0: 1 }] } }, { status: 400, code: "missing_feature", message: /^instances\[0\] is missing features "f1", "f2", .*"f9"; the model takes 10 \(f0..f9\)$/, field: "instances[0].f1" }],
    ["an instance nested 200,000 lists deep", { body: `{"instances": [${"[".repeat(200_000)}${"]".repeat(200_000)}]}` }, { status: 400, code: "wrong_feature_count", message: "instances[0] has 1 feature; the model takes 10 (f0..f9)", field: "instances[0]" }],
    ["strings for numbers", { body: { instances: [row.map(String)] } }, { status: 400, code: "invalid_feature", message: `instances[0][0] is a string ("${row[0]}"); send ${row[0]} without quotes`, field: "instances[0][0]" }],
    ["JSON that does not parse", { body: '{"instances": [[1, 2,' }, { status: 400, code: "bad_json", message: /^the body is not valid JSON: .+; send \{"instances": \[\[\.\.\.\], \.\.\.\]\}$/ }],
    ["an empty body", { body: "" }, { status: 400, code: "bad_json", message: /^the body is empty/ }],
    ["text/plain", { body: { instances: [row] }, headers: { "content-type": "text/plain" } }, { status: 415, code: "unsupported_media_type", message: 'the body must be JSON sent with Content-Type: application/json (got Content-Type "text/plain")' }],
    ["form encoding", { body: "instances=1", headers: { "content-type": "application/x-www-form-urlencoded" } }, { status: 415, code: "unsupported_media_type", message: /application\/x-www-form-urlencoded/ }],
  ];

  it.each(cases)("%s", async (_, request, expected) => {
    const server = await startTestServer({ config: { maxBatch: 5 } });
    const res = await predict(server, request.body, request.headers);
    expect(res.status).toBe(expected.status);
    const { message, status: _status, ...rest } = expected;
    expect(res.json.error).toMatchObject(rest);
    expect(res.json.error.message).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
    if (expected.field === undefined) expect(res.json.error).not.toHaveProperty("field");
    // The server is unharmed: the next request is served.
    expect((await predict(server, { instances: [row] })).status).toBe(200);
  });

  it("accepts application/json with a charset, in any case", async () => {
    const server = await startTestServer();
    expect((await predict(server, { instances: [row] }, { "content-type": "Application/JSON; charset=utf-8" })).status).toBe(200);
  });

  it("refuses a declared Content-Length far over the limit with 413 before reading, and closes the connection", async () => {
    const server = await startTestServer({ config: { maxBodyBytes: 1000 } });
    const res = await rawRequest({ port: server.port, headers: { "content-type": "application/json", "content-length": 50_000_000 }, chunks: ['{"instances": ['] });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(JSON.parse(res.body)).toEqual({ error: { code: "payload_too_large", message: "the body is 50000000 bytes; the limit is 1000 bytes (SERVE_MAX_BODY_BYTES): send fewer instances per request" } });
  });

  it("answers 413 to Expect: 100-continue over the limit, so the client never sends the body", async () => {
    const server = await startTestServer({ config: { maxBodyBytes: 1000 } });
    const body = JSON.stringify({ instances: Array.from({ length: 20 }, () => row) });
    let sent = false;
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/predict", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue" } });
      req.on("continue", () => {
        sent = true;
        req.end(body);
      });
      req.on("response", (r) => {
        let text = "";
        r.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => resolve({ status: r.statusCode!, body: text }));
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe("payload_too_large");
    expect(sent).toBe(false);
  });

  it("keeps nothing past the limit of a streamed body, answers 413 once it ends, and the connection stays usable", async () => {
    const server = await startTestServer({ config: { maxBodyBytes: 1000 } });
    const chunk = `[${row.join(",")}],`;
    const chunks = ['{"instances": [', ...Array.from({ length: 200 }, () => chunk), `[${row.join(",")}]]}`];
    const size = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
    // A raw socket (node's http client and its interceptors choose their own Connection header).
    const connection = await openConnection(server.port);
    connection.write("POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
    for (const c of chunks) {
      connection.write(`${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    connection.write("0\r\n\r\n");
    const res = await connection.response();
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("keep-alive");
    expect(JSON.parse(res.body).error).toEqual({ code: "payload_too_large", message: `the body is ${size} bytes; the limit is 1000 bytes (SERVE_MAX_BODY_BYTES): send fewer instances per request` });
    const body = JSON.stringify({ instances: [row] });
    connection.write(`POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    expect((await connection.response()).status).toBe(200);
    connection.close();
  });

  it("says how large a body with a modest Content-Length over the limit was", async () => {
    const server = await startTestServer({ config: { maxBodyBytes: 1000 } });
    const res = await predict(server, { instances: Array.from({ length: 100 }, () => row) });
    expect(res.status).toBe(413);
    expect(res.json.error.message).toMatch(/^the body is \d{4,} bytes; the limit is 1000 bytes/);
  });

  it("answers unknown routes 404 and wrong methods 405 with Allow", async () => {
    const server = await startTestServer();
    const notFound = await fetch(`${server.url}/v1/predict`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: { code: "not_found", message: 'no route "/v1/predict"; the routes are POST /predict, GET /health, GET /ready, GET /metadata, GET /metrics' } });

    const get = await fetch(`${server.url}/predict`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toEqual({ error: { code: "method_not_allowed", message: "/predict takes POST, not GET" } });

    const post = await fetch(`${server.url}/health`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("never answers bad input with a 5xx: a barrage of bad requests leaves no 5xx in /metrics", async () => {
    const server = await startTestServer();
    const bodies = ["", "null", "[]", "{}", '{"instances": null}', '{"instances": [null]}', '{"instances": [[]]}', '{"instances": [{}]}', '{"instances": [{"__proto__": 1}]}', '{"instances": [[1e999]]}', '"\\ud800"', "{".repeat(5000), '{"instances": [' + "[".repeat(3000) + "]".repeat(3000) + "]}"];
    for (const body of bodies) {
      const res = await predict(server, body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect(res.json.error.code).toMatch(/^[a-z_]+$/);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain("# TYPE inference_requests_total counter");
    expect(metrics).not.toMatch(/^inference_requests_total\{[^}]*status="5\d\d"/m);
    expect(metricValue(metrics, "inference_requests_total", { route: "/predict", status: "400" })).toBe(bodies.length);
  });
});
