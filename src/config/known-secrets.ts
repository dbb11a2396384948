/** Variables whose values are secrets by name; their values never reach a log, a page or a report. */
const SECRET_NAMES = /SECRET|TOKEN|PASSWORD|PRIVATE_KEY|API_KEY|CREDENTIAL/i;

/**
 * The secret values in the bot's environment: every variable named like a secret (the webhook
 * secret, the App's private key, registry and MLflow passwords, the job page key...), and each
 * line of a multi-line one (a PEM key is printed line by line). Short values are left out: they
 * would redact ordinary words.
 */
export function knownSecrets(env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_NAMES.test(name)) continue;
    const normalized = value.replace(/\\n/g, "\n");
    for (const candidate of [value, normalized, ...normalized.split("\n")]) {
      const trimmed = candidate.trim();
      if (trimmed.length >= 8 && !/^-----(BEGIN|END) /.test(trimmed)) out.add(trimmed);
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}
