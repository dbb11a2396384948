import net from "node:net";
import type { ServerHandle } from "../../src/serve/start-server.js";

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends one POST /predict per body, each on its own connection, all written in the same tick
 * once the server has accepted every connection: the server then reads them in one event-loop
 * turn, as it would under real concurrent load (fetch from the same process staggers them).
 */
export async function sendSimultaneously(server: ServerHandle, bodies: readonly string[]): Promise<RawResponse[]> {
  let accepted = 0;
  const allAccepted = new Promise<void>((resolve) => {
    const onConnection = () => {
      if (++accepted === bodies.length) {
        server.server.off("connection", onConnection);
        resolve();
      }
    };
    server.server.on("connection", onConnection);
  });
  const sockets = await Promise.all(bodies.map(() => new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  })));
  await allAccepted;
  const responses = sockets.map((socket) => readResponse(socket));
  sockets.forEach((socket, k) => {
    const body = bodies[k]!;
    socket.write(`POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  return Promise.all(responses);
}

function readResponse(socket: net.Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("error", reject);
    socket.once("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const [statusLine, ...headerLines] = text.slice(0, split).split("\r\n");
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body: text.slice(split + 4) });
    });
  });
}
