import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import type { ConnectorOptions } from "@google-cloud/cloud-sql-connector";
import { OAuth2Client } from "google-auth-library";
import nock from "nock";

export interface FakeCloudSql {
  /** The instance connection name, `test-project:europe-west1:jobs` (MLOPS_CLOUD_SQL_INSTANCE). */
  readonly instance: string;
  /** Options for the real connector: an auth client holding a fixed access token. */
  readonly connector: ConnectorOptions;
  /** The access tokens sent with each ephemeral certificate request (IAM authentication sends one). */
  readonly certRequests: string[];
  /** TLS connections the "instance" accepted with a client certificate it had signed. */
  readonly connections: () => number;
  /** The SQL Admin API calls the connector makes (connectSettings, generateEphemeralCert), for the current test. */
  nockAdminApi(options?: { status?: number }): void;
  close(): Promise<void>;
}

const PROJECT = "test-project";
const INSTANCE = "jobs";
const API = "https://sqladmin.googleapis.com";

/**
 * A Cloud SQL instance as the Cloud SQL Node.js connector sees it, in front of the test services'
 * real PostgreSQL: the SQL Admin API (nock: connect settings with a server CA and a loopback IP,
 * and ephemeral client certificates signed for the public key the connector sends), and the
 * instance's TLS endpoint on port 3307 of a random 127.x.y.z address, which requires a client
 * certificate of its CA (TLS 1.3, like the real server-side proxy) and then forwards to
 * PostgreSQL. PostgreSQL trusts the IAM-named user from 127.0.0.1, as Cloud SQL trusts the
 * connector's certificate for IAM users. Certificates are made with the openssl CLI.
 */
export async function startFakeCloudSql(params: { postgresPort: number }): Promise<FakeCloudSql> {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-cloud-sql-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Test Cloud SQL Server CA", "-days", "2");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${PROJECT}:${INSTANCE}`);
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2");
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  const ca = read("ca.pem");

  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: read("server.key"), cert: read("server.pem"), ca, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.3" }, (socket) => {
    accepted++;
    const upstream = net.connect(params.postgresPort, "127.0.0.1");
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  server.on("tlsClientError", () => {});
  const ip = `127.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(3307, ip, resolve));

  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "ya29.test-iam-token", expiry_date: Date.now() + 3_600_000 });
  const certRequests: string[] = [];
  let serial = 0;
  const sign = (publicKey: string) => {
    const name = `client-${++serial}`;
    writeFileSync(path.join(dir, `${name}.pub`), publicKey);
    openssl("x509", "-new", "-force_pubkey", `${name}.pub`, "-subj", `/CN=${name}`, "-CA", "ca.pem", "-CAkey", "ca.key", "-days", "1", "-out", `${name}.pem`);
    return read(`${name}.pem`);
  };

  return {
    instance: `${PROJECT}:europe-west1:${INSTANCE}`,
    // The connector brings its own google-auth-library (10); an OAuth2Client of ours (9) does the same job.
    connector: { auth: auth as unknown as ConnectorOptions["auth"] },
    certRequests,
    connections: () => accepted,
    nockAdminApi: (options = {}) => {
      const base = `/sql/v1beta4/projects/${PROJECT}/instances/${INSTANCE}`;
      if (options.status) {
        nock(API).get(`${base}/connectSettings`).reply(options.status, { error: { code: options.status, message: "The client is not authorized to make this request.", status: "PERMISSION_DENIED" } });
        return;
      }
      nock(API)
        .persist()
        .get(`${base}/connectSettings`)
        .reply(200, {
          kind: "sql#connectSettings",
          region: "europe-west1",
          databaseVersion: "POSTGRES_17",
          backendType: "SECOND_GEN",
          ipAddresses: [{ type: "PRIMARY", ipAddress: ip }],
          serverCaCert: { kind: "sql#sslCert", cert: ca, expirationTime: new Date(Date.now() + 2 * 86_400_000).toISOString() },
        });
      nock(API)
        .persist()
        .post(`${base}:generateEphemeralCert`)
        .reply(200, (_uri, body) => {
          // The connector's client sends JSON without saying so: nock hands it over as text.
          const request = (typeof body === "string" ? JSON.parse(body) : body) as { public_key: string; access_token?: string };
          certRequests.push(request.access_token ?? "");
          return { ephemeralCert: { kind: "sql#sslCert", cert: sign(request.public_key) } };
        });
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
