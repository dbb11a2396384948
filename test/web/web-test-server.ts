import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { redact } from "../../src/core/redact.js";
import { createWebHandler } from "../../src/web/create-web-handler.js";
import { createLinkSigner, type LinkSigner } from "../../src/web/link-signer.js";
import { LiveLogs } from "../../src/web/live-logs.js";
import { tempDir } from "../helpers/temp-dir.js";

export const SECRET_VALUE = "ghs_planted-secret-value-1234567890";

/** The job pages over real HTTP on 127.0.0.1, on a real SQLite store and artifact folder. */
export async function startWebServer(): Promise<{ url: string; store: SqliteJobStore; artifacts: FsArtifactStore; live: LiveLogs; signer: LinkSigner; close: () => Promise<void> }> {
  const dir = tempDir();
  const store = new SqliteJobStore(path.join(dir, "jobs.sqlite"));
  const artifacts = new FsArtifactStore(path.join(dir, "artifacts"));
  const scrub = (text: string) => redact(text, [SECRET_VALUE]);
  const live = new LiveLogs({ redact: scrub });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signer = createLinkSigner({ secret: "test-web-secret-0123456789abcdef", baseUrl: url, ttlSeconds: 3600 });
  const handler = createWebHandler({ store, artifacts, live, signer, redact: scrub, pollMs: 100 });
  server.on("request", (req, res) => {
    void handler(req, res).then((handled) => handled || res.writeHead(404).end("not ours"));
  });
  return {
    url,
    store,
    artifacts,
    live,
    signer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

export interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: unknown;
}

/** Reads a server-sent event stream until `until` says stop (or the stream ends); the events seen. */
export async function readEvents(url: string, headers: Record<string, string>, until: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":") && l.includes(": ")).map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]));
        if (fields.event) events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data ?? "null") });
      }
      if (until(events)) break;
    }
  } finally {
    controller.abort();
  }
  return events;
}
