import { createHmac, timingSafeEqual } from "node:crypto";

/** What a signed link opens: one job (its page, live log, artifacts), a repository's or a PR's list. */
export type LinkScope =
  | { readonly kind: "job"; readonly id: string }
  | { readonly kind: "repo"; readonly owner: string; readonly name: string }
  | { readonly kind: "pr"; readonly owner: string; readonly name: string; readonly pr: number };

export interface LinkSignature {
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** base64url HMAC-SHA256 of the scope and expiry. */
  readonly sig: string;
}

export interface LinkSigner {
  /** The absolute URL of the page for a scope, signed until now + the signer's lifetime. */
  url(scope: LinkScope): string;
  sign(scope: LinkScope, exp?: number): LinkSignature;
  /** True when `sig` signs this scope and `exp` is still in the future. Constant time. */
  verify(scope: LinkScope, exp: string | null, sig: string | null): boolean;
  /** The page path of a scope, without the signature. */
  path(scope: LinkScope): string;
}

/**
 * Signed, expiring links to the job pages: `<base><path>?exp=<unix seconds>&sig=<HMAC>`, the HMAC
 * (SHA-256, keyed with a server secret) over a version tag, the scope and the expiry. A link
 * opens only its own scope (one job, one repository's list, one PR's list) until it expires;
 * changing the secret revokes every link. Links carry no other secret and grant nothing on GitHub.
 */
export function createLinkSigner(params: { secret: string; baseUrl: string; ttlSeconds: number; now?: () => number }): LinkSigner {
  const key = Buffer.from(params.secret, "utf8");
  const now = params.now ?? (() => Date.now());
  const mac = (scope: LinkScope, exp: number) => createHmac("sha256", key).update(`mlops-bot-link-v1\n${scopeKey(scope)}\n${exp}`).digest();
  const signer: LinkSigner = {
    path: scopePath,
    sign(scope, exp = Math.floor(now() / 1000) + params.ttlSeconds) {
      return { exp, sig: mac(scope, exp).toString("base64url") };
    },
    url(scope) {
      const { exp, sig } = signer.sign(scope);
      return `${params.baseUrl.replace(/\/+$/, "")}${scopePath(scope)}?exp=${exp}&sig=${sig}`;
    },
    verify(scope, exp, sig) {
      if (exp === null || sig === null || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
      const expires = Number(exp);
      if (expires * 1000 <= now()) return false;
      const given = Buffer.from(sig, "base64url");
      const expected = mac(scope, expires);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
  return signer;
}

function scopeKey(scope: LinkScope): string {
  if (scope.kind === "job") return `job:${scope.id}`;
  if (scope.kind === "repo") return `repo:${scope.owner}/${scope.name}`;
  return `pr:${scope.owner}/${scope.name}#${scope.pr}`;
}

function scopePath(scope: LinkScope): string {
  const e = encodeURIComponent;
  if (scope.kind === "job") return `/jobs/${e(scope.id)}`;
  if (scope.kind === "repo") return `/repos/${e(scope.owner)}/${e(scope.name)}`;
  return `/repos/${e(scope.owner)}/${e(scope.name)}/pulls/${scope.pr}`;
}
