import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SecretValues } from "../../../src/adapters/secrets/secret-values.js";
import { tempDir } from "../../helpers/temp-dir.js";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq1planted2key3line4AAAA\nZmFrZS1rZXktc2Vjb25kLWxpbmUtcGxhbnRlZA==\n-----END RSA PRIVATE KEY-----\n";

describe("SecretValues", () => {
  it("knows the bot's secrets by name, the key file's lines, and tokens added later; leaves short values and ordinary words", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "key.pem"), KEY);
    const secrets = new SecretValues();
    secrets.addFromEnv({ WEBHOOK_SECRET: "whsec-planted-value", MLOPS_REGISTRY_PASSWORD: "registry-pw-planted", PRIVATE_KEY_PATH: path.join(dir, "key.pem"), PATH: "/usr/bin:/bin", APP_ID: "12345", SHORT_TOKEN: "abc" });
    secrets.add("ghs_installation_token_planted");
    const text = [
      "whsec-planted-value",
      "registry-pw-planted",
      "MIIEowIBAAKCAQEAq1planted2key3line4AAAA",
      "ZmFrZS1rZXktc2Vjb25kLWxpbmUtcGxhbnRlZA==",
      "ghs_installation_token_planted",
      Buffer.from("x-access-token:ghs_installation_token_planted").toString("base64"),
      "/usr/bin:/bin 12345 abc -----BEGIN RSA PRIVATE KEY-----",
    ].join("\n");
    expect(secrets.redact(text)).toBe("***\n***\n***\n***\n***\n***\n/usr/bin:/bin 12345 abc -----BEGIN RSA PRIVATE KEY-----");
    expect(secrets.redactBytes(Buffer.from(`a\0whsec-planted-value\xff`, "latin1")).toString("latin1")).toBe("a\0***\xff");
  });

  it("redacts a secret split across any chunks of a stream, and passes everything else through unchanged", () => {
    const secrets = new SecretValues();
    secrets.add("ghs_installation_token_planted", "registry-pw-planted");
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (before, after, cuts, which) => {
        const secret = which ? "ghs_installation_token_planted" : "registry-pw-planted";
        const whole = Buffer.from(`${before}${secret}${after}`);
        const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const stream = secrets.stream();
        let out = "";
        let last = 0;
        for (const p of [...points, whole.length]) {
          out += stream.push(whole.subarray(last, p));
          last = p;
        }
        out += stream.end();
        expect(out).toBe(secrets.redact(whole.toString("utf8")));
        expect(out).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it("passes output on at once unless its end could begin a secret (a live log is not held back)", () => {
    const secrets = new SecretValues();
    secrets.add("ghs_installation_token_planted", "postgres://mlops:a-long-planted-password@127.0.0.1:5439/db");
    const stream = secrets.stream();
    expect(stream.push(Buffer.from("pid 42\n"))).toBe("pid 42\n");
    expect(stream.push(Buffer.from("token ghs_inst"))).toBe("token ");
    expect(stream.push(Buffer.from("allation_token_planted done\n"))).toBe("*** done\n");
    expect(stream.push(Buffer.from("url postgres://mlops:a-long"))).toBe("url ");
    expect(stream.push(Buffer.from("er-road\n"))).toBe("postgres://mlops:a-longer-road\n");
    expect(stream.end()).toBe("");
  });
});
