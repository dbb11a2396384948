import type { RegistryAuth } from "../../ports/image-builder.js";

/** A registry's HTTP API v2 answered with this status (401: the credentials were refused). */
export class RegistryCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "RegistryCallError";
  }
}

/**
 * The Docker Registry HTTP API v2 of `registry` (`host[:port]/path`), signed in with `auth`: basic
 * credentials where the registry asks for them, or a bearer token from its token service (Docker
 * Hub, Artifact Registry) for `scope`. Loopback registries speak plain HTTP, as Docker allows.
 */
export class RegistryApi {
  private authorization: string | undefined;
  readonly base: string;

  constructor(
    registry: string,
    private readonly auth: RegistryAuth | undefined,
    private readonly scope: string,
  ) {
    const host = registry.split("/")[0]!;
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
    this.base = `${loopback ? "http" : "https"}://${host}`;
  }

  /** `GET /v2/` with the credentials: resolves when they are accepted, throws `RegistryCallError` otherwise. */
  async signIn(): Promise<void> {
    const first = await this.fetch("GET", "/v2/");
    if (first.ok) return;
    if (first.status !== 401) throw new RegistryCallError(`GET /v2/ answered ${first.status}`, first.status);
    const challenge = first.headers.get("www-authenticate") ?? "";
    this.authorization = await this.answer(challenge);
    const again = await this.fetch("GET", "/v2/");
    if (!again.ok) throw new RegistryCallError(`the registry refused the credentials (GET /v2/ answered ${again.status})`, again.status);
  }

  /** Deletes a manifest by digest; false when the registry does not allow deletes (405). */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const res = await this.fetch("DELETE", `/v2/${repository}/manifests/${digest}`);
    if (res.status === 405 || res.status === 404) return false;
    if (!res.ok) throw new RegistryCallError(`DELETE of the canary manifest answered ${res.status}`, res.status);
    return true;
  }

  private async answer(challenge: string): Promise<string> {
    if (!this.auth) throw new RegistryCallError("the registry wants credentials and none are configured (MLOPS_REGISTRY_AUTH)", 401);
    const basic = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString("base64")}`;
    if (!/^bearer\s/i.test(challenge)) return basic;
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
    if (!params.realm) throw new RegistryCallError("the registry's bearer challenge names no token service", 401);
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", this.scope);
    const res = await fetch(url, { headers: { authorization: basic }, signal: AbortSignal.timeout(20_000) });
    if (!res.ok) throw new RegistryCallError(`the registry's token service refused the credentials (${res.status})`, res.status === 403 ? 403 : 401);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryCallError("the registry's token service answered without a token", res.status);
    return `Bearer ${token}`;
  }

  private async fetch(method: string, path: string): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers: { accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json", ...(this.authorization ? { authorization: this.authorization } : {}) },
        signal: AbortSignal.timeout(20_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      throw new RegistryCallError(`${this.base} did not answer: ${cause?.code ?? (e as Error).message}`, undefined);
    }
  }
}
