/** Replaces each secret (and its base64 forms, as used in auth headers) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, Buffer.from(`x-access-token:${secret}`).toString("base64"), Buffer.from(secret).toString("base64")]) {
      out = out.split(form).join("***");
    }
  }
  return out;
}
