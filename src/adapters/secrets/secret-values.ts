import { readFileSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { knownSecrets } from "../../config/known-secrets.js";
import { redactForms, redactionForms, secretPrefixStart } from "../../core/redact.js";

/** Values shorter than this are not redacted: they would blank out ordinary words. */
const MIN_LENGTH = 8;

/**
 * The secret values this bot process knows, redacted from everything it writes that a user or
 * an operator may read: job logs (as they stream), stored results and artifacts, check runs,
 * comments. Seeded at start-up from the bot's environment (every variable named like a secret,
 * the App's key file) and added to as tokens are minted. Defence in depth: no job ever gets
 * these values, but nothing that prints one by accident gets it published either.
 */
export class SecretValues {
  private values: string[] = [];
  /** The values' redaction forms, made when values are added, not per text (logs stream through here). */
  private forms: string[] = [];
  /** The same for bytes read as latin1 (`redactBytes`). */
  private byteForms: string[] = [];

  /** Adds values (and, for a multi-line one such as a PEM key, each of its lines). */
  add(...values: ReadonlyArray<string | undefined>): void {
    const next = new Set(this.values);
    for (const value of values) {
      if (!value) continue;
      for (const part of [value, ...value.split("\n")]) {
        const trimmed = part.trim();
        if (trimmed.length >= MIN_LENGTH && !/^-----(BEGIN|END) /.test(trimmed)) next.add(trimmed);
      }
    }
    this.values = [...next].sort((a, b) => b.length - a.length);
    this.forms = redactionForms(this.values);
    this.byteForms = redactionForms(this.values.map((v) => Buffer.from(v).toString("latin1")));
  }

  /** Seeds from a bot environment: `knownSecrets` plus the contents of PRIVATE_KEY_PATH. */
  addFromEnv(env: NodeJS.ProcessEnv): void {
    this.add(...knownSecrets(env));
    if (env.PRIVATE_KEY_PATH) {
      try {
        this.add(readFileSync(env.PRIVATE_KEY_PATH, "utf8"));
      } catch {
        // Probot says so when it cannot read its key; nothing to redact then.
      }
    }
  }

  list(): readonly string[] {
    return this.values;
  }

  redact(text: string): string {
    return this.values.length ? redactForms(text, this.forms) : text;
  }

  redactBytes(data: Buffer): Buffer {
    if (!this.values.length) return data;
    const text = data.toString("latin1");
    const out = redactForms(text, this.byteForms);
    return out === text ? data : Buffer.from(out, "latin1");
  }

  /**
   * A redactor for a stream of chunks: a secret split across two chunks is still caught, by
   * holding back the end of a chunk while it could be the start of a secret (and only then:
   * `pid 42\n` passes on at once) until the next chunk (or `end`).
   */
  stream(): { push(chunk: Buffer): string; end(): string } {
    const decoder = new StringDecoder("utf8");
    let held = "";
    return {
      push: (chunk) => {
        const text = this.redact(held + decoder.write(chunk));
        const cut = this.values.length ? secretPrefixStart(text, this.forms) : text.length;
        held = text.slice(cut);
        return text.slice(0, cut);
      },
      end: () => {
        const text = this.redact(held + decoder.end());
        held = "";
        return text;
      },
    };
  }
}

/** This process's known secret values. */
export const knownSecretValues = new SecretValues();
