import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";
import type { BwrapPlan, SandboxBind } from "./build-bwrap-argv.js";

/** Files of /etc a pipeline's tools need (the loader's cache, TLS roots, name resolution, time zones); nothing else of /etc is shown. */
const ETC_ALLOWED = [
  "alternatives", "ca-certificates", "ca-certificates.conf", "gai.conf", "host.conf", "hosts", "ld.so.cache", "ld.so.conf",
  "ld.so.conf.d", "localtime", "mime.types", "nsswitch.conf", "os-release", "protocols", "resolv.conf", "services", "ssl", "timezone",
];
const ROOT_LINKS = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

/** The operating system's part of the view: /usr, the /bin-style links or folders, and the allowed /etc files, all read-only. */
export function systemView(): Pick<BwrapPlan, "binds" | "symlinks"> {
  const binds: SandboxBind[] = [{ host: "/usr", at: "/usr", writable: false }];
  const symlinks: Array<{ target: string; at: string }> = [];
  for (const name of ROOT_LINKS) {
    const at = `/${name}`;
    const info = lstatSafe(at);
    if (info?.isSymbolicLink()) symlinks.push({ target: readlinkSync(at), at });
    else if (info?.isDirectory()) binds.push({ host: at, at, writable: false });
  }
  const etc = ETC_ALLOWED.filter((name) => existsSync(`/etc/${name}`)).map((name) => ({ host: `/etc/${name}`, at: `/etc/${name}`, writable: false }));
  for (const entry of readdirSafe("/etc").filter((n) => /^python3(\.\d+)?$/.test(n))) etc.push({ host: `/etc/${entry}`, at: `/etc/${entry}`, writable: false });
  return { binds: [...binds, ...etc], symlinks };
}

/**
 * The tools the job's PATH names, read-only: each PATH folder outside /usr (a virtualenv's whole
 * tree when the folder is its `bin/`, and the Python it was made from), at its real path and at
 * the path PATH gives when that goes through a link. Relative and missing entries are skipped,
 * and so is any folder that holds one of `protect` (the data folder, the bot's own folder): a
 * PATH entry like `/srv` must not show the bot's files.
 */
export function toolchainBinds(jobPath: string, protect: readonly string[] = []): SandboxBind[] {
  const out = new Map<string, SandboxBind>();
  const add = (host: string, at: string) => {
    if (isUnder(host, "/usr") || isUnder(at, "/usr") || out.has(at)) return;
    if (protect.some((p) => isUnder(p, host) || isUnder(p, at))) return;
    out.set(at, { host, at, writable: false });
  };
  for (const entry of jobPath.split(":")) {
    if (!path.isAbsolute(entry) || !existsSync(entry)) continue;
    const real = realpathSync(entry);
    const venv = existsSync(path.join(real, "..", "pyvenv.cfg"));
    const [realRoot, givenRoot] = venv ? [path.dirname(real), path.dirname(path.resolve(entry))] : [real, path.resolve(entry)];
    add(realRoot, realRoot);
    add(realRoot, givenRoot);
    if (venv) {
      const home = /^home\s*=\s*(.+)$/m.exec(readFileSync(path.join(realRoot, "pyvenv.cfg"), "utf8"))?.[1]?.trim();
      if (home && path.isAbsolute(home) && existsSync(home)) {
        const prefix = path.dirname(realpathSync(home));
        add(prefix, prefix);
      }
    }
  }
  return [...out.values()];
}

function isUnder(p: string, root: string): boolean {
  return p === root || p.startsWith(`${root}/`);
}

function lstatSafe(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
