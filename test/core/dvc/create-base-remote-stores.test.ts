import { describe, expect, it } from "vitest";
import { createDvcRemoteStore } from "../../../src/adapters/stores/create-dvc-remote-store.js";
import { createBaseRemoteStores } from "../../../src/core/dvc/create-base-remote-stores.js";

const stores = createBaseRemoteStores({ createStore: (url) => createDvcRemoteStore({ url }) });
const config = (remote: string) => `[core]\n    remote = storage\n['remote "storage"']\n    url = ${remote}\n`;

describe("createBaseRemoteStores", () => {
  it("takes each root's default remote from the BASE's .dvc/config, never the head's", async () => {
    const found = await stores({
      roots: ["", "ml", "gcs"],
      base: new Map([
        [".dvc/config", config("/srv/remote-a")],
        ["ml/.dvc/config", config("file:///srv/remote-b")],
        ["gcs/.dvc/config", config("gs://team-bucket/dvc")],
      ]),
      head: new Map([["ml/.dvc/config", config("/etc")]]),
    });
    expect([...found.stores].map(([root, list]) => [root, list.map((s) => s.location)])).toEqual([
      ["", ["/srv/remote-a"]],
      ["ml", ["/srv/remote-b"]],
      ["gcs", ["gs://team-bucket/dvc"]],
    ]);
    expect(found.problems).toEqual([]);
  });

  it("explains, per root, why there is no store", async () => {
    const found = await stores({
      roots: ["a", "b", "c", "d", "e", "f"],
      base: new Map([
        ["a/.dvc/config", config("s3://bucket/dvc")],
        ["b/.dvc/config", config("../../remote")],
        ["c/.dvc/config", "[core]\n    autostage = true\n"],
        ["d/.dvc/config", "[core]\n    remote = gone\n"],
        ["e/.dvc/config", "not ini at all\n"],
      ]),
      head: new Map([["f/.dvc/config", config("/srv/remote")]]),
    });
    expect(found.stores.size).toBe(0);
    expect(found.problems.map((p) => `${p.root}: ${p.problem.file}${p.problem.line ? `:${p.problem.line}` : ""}: ${p.problem.message}`)).toEqual([
      "a: a/.dvc/config: the remote cannot be used: `s3:` URLs are not supported here; use a folder (`/srv/store`), `file:///srv/store` or `gs://bucket/prefix`",
      "b: b/.dvc/config: the remote `../../remote` is a relative path, which only means something in a checkout; the bot reads none, so give it an absolute path",
      "c: c/.dvc/config: has no default remote (`dvc remote add -d NAME URL`) at the base commit, so `.dir` manifests cannot be read",
      "d: d/.dvc/config: names the default remote `gone`, which has no `url`",
      'e: e/.dvc/config:1: expected `key = value` or a [section], got "not ini at all"',
      "f: f/.dvc/config: is not in the base commit, so there is no remote to read `.dir` manifests from (the bot takes the remote from the base only)",
    ]);
  });
});
