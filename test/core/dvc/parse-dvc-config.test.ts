import { describe, expect, it } from "vitest";
import { parseDvcConfig } from "../../../src/core/dvc/parse-dvc-config.js";

describe("parseDvcConfig", () => {
  it("reads the default remote, remote urls and the cache dir", () => {
    const text = ["[core]", "    remote = store", "    autostage = true", "['remote \"store\"']", "    url = ../../dvc-remote", '[\'remote "gcs"\']', "    url = gs://bucket/path", "[cache]", "    dir = /srv/cache", ""].join("\n");
    expect(parseDvcConfig({ file: "ml/.dvc/config", text })).toEqual({
      ok: true,
      value: { defaultRemote: "store", cacheDir: "/srv/cache", remotes: new Map([["store", "../../dvc-remote"], ["gcs", "gs://bucket/path"]]) },
    });
  });

  it("reports a line that is neither a section nor a key", () => {
    expect(parseDvcConfig({ file: "c", text: "[core]\nremote\n" })).toMatchObject({ ok: false, error: [{ file: "c", line: 2 }] });
  });
});
