/** The forms a secret is redacted in: as written, and base64 (alone, or as an auth header's `x-access-token:`). */
export function secretForms(secret: string): string[] {
  return [secret, Buffer.from(`x-access-token:${secret}`).toString("base64"), Buffer.from(secret).toString("base64")];
}

/** Every form of every secret long enough to redact (shorter than 4 characters: left alone). */
export function redactionForms(secrets: readonly string[]): string[] {
  return secrets.filter((s) => s.length >= 4).flatMap(secretForms);
}

/** Replaces each secret (and its base64 forms, as used in auth headers) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  return redactForms(text, redactionForms(secrets));
}

/** `redact` with the forms made once (`redactionForms`), for callers that redact often. */
export function redactForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) out = out.split(form).join("***");
  return out;
}

/**
 * Where the text's longest end that could begin a secret (in any form) starts: a stream holds
 * back only that much, so a secret split across chunks is still caught while ordinary output
 * (a line that ends nothing like a secret) passes on at once. `forms` from `redactionForms`;
 * `text.length` when none.
 */
export function secretPrefixStart(text: string, forms: readonly string[]): number {
  const longest = Math.max(0, ...forms.map((f) => f.length));
  for (let at = Math.max(0, text.length - longest + 1); at < text.length; at++) {
    const end = text.slice(at);
    if (forms.some((f) => f.length > end.length && f.startsWith(end))) return at;
  }
  return text.length;
}
