import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { Problem } from "../problem.js";
import type { Result } from "../result.js";
import type { ManifestStores } from "./build-data-check.js";
import { joinDvcPath } from "./join-dvc-path.js";
import { parseDvcConfig } from "./parse-dvc-config.js";

/**
 * The bot's manifest stores: each DVC root's default remote, from `<root>/.dvc/config` at the
 * BASE commit only. A pull request (a fork's above all) cannot point the bot at another folder:
 * its own `.dvc/config` is never read for this. The bot has no DVC cache, and `config.local` is
 * never committed, so the remote is the only store. `createStore` turns a URL into a store or
 * says why not (an unsupported scheme, a relative path).
 */
export function createBaseRemoteStores(params: { createStore: (url: string) => Result<ArtifactStore, string> }): ManifestStores {
  return ({ roots, base }) => {
    const stores = new Map<string, ArtifactStore[]>();
    const problems: { root: string; problem: Problem }[] = [];
    for (const root of roots) {
      const file = joinDvcPath(root, ".dvc/config");
      const say = (message: string) => problems.push({ root, problem: { file, message } });
      const text = base.get(file);
      if (text === undefined) {
        say("is not in the base commit, so there is no remote to read `.dir` manifests from (the bot takes the remote from the base only)");
        continue;
      }
      const parsed = parseDvcConfig({ file, text });
      if (!parsed.ok) {
        problems.push(...parsed.error.map((problem) => ({ root, problem })));
        continue;
      }
      const name = parsed.value.defaultRemote;
      const url = name === undefined ? undefined : parsed.value.remotes.get(name);
      if (name === undefined) say("has no default remote (`dvc remote add -d NAME URL`) at the base commit, so `.dir` manifests cannot be read");
      else if (url === undefined) say(`names the default remote \`${name}\`, which has no \`url\``);
      else {
        const store = params.createStore(url);
        if (store.ok) stores.set(root, [store.value]);
        else say(store.error);
      }
    }
    return Promise.resolve({ stores, problems });
  };
}
