import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDvcRemoteStore } from "../../../src/adapters/stores/create-dvc-remote-store.js";

describe("createDvcRemoteStore", () => {
  it("opens local folders: an absolute path or a file:// URL", () => {
    const plain = createDvcRemoteStore({ url: "/srv/dvc-remote" });
    const url = createDvcRemoteStore({ url: "file:///srv/dvc-remote" });
    expect(plain.ok && plain.value.location).toBe(path.resolve("/srv/dvc-remote"));
    expect(url.ok && url.value.location).toBe(path.resolve("/srv/dvc-remote"));
  });

  it("resolves a relative path only against a checkout's .dvc/ folder", () => {
    const inCheckout = createDvcRemoteStore({ url: "../../remote", relativeTo: "/work/repo/ml/.dvc" });
    expect(inCheckout.ok && inCheckout.value.location).toBe("/work/repo/remote");
    expect(createDvcRemoteStore({ url: "../../remote" })).toEqual({
      ok: false,
      error: "the remote `../../remote` is a relative path, which only means something in a checkout; the bot reads none, so give it an absolute path",
    });
  });

  it.each(["gs://bucket/dvc", "s3://bucket/dvc", "ssh://host/srv/dvc", "https://example.com/dvc"])("says %s is not supported yet, listing what is", (url) => {
    const scheme = url.slice(0, url.indexOf(":"));
    expect(createDvcRemoteStore({ url })).toEqual({
      ok: false,
      error: `\`${scheme}://\` remotes are not supported yet; supported: local folders (\`/srv/dvc-remote\` or \`file:///srv/dvc-remote\`)`,
    });
  });

  it("explains a file:// URL that is not a local path", () => {
    const result = createDvcRemoteStore({ url: "file://other-host/srv/dvc" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^remote URL `file:\/\/other-host\/srv\/dvc` cannot be used: /);
  });
});
