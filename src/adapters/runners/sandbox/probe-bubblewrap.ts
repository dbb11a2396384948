import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { buildBwrapArgv } from "./build-bwrap-argv.js";
import { systemView } from "./host-toolchain.js";

export type SandboxProbe = { readonly ok: true; readonly bwrap: string } | { readonly ok: false; readonly message: string };

export const INSTALL_HINT =
  "Install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`; Fedora: `dnf install bubblewrap`) and allow unprivileged user namespaces (`sysctl kernel.unprivileged_userns_clone=1` on older Debian kernels; in a container, run it with user namespaces allowed, or use `runner: docker` or `runner: cloud-run`). On a trusted single-user machine you may instead set MLOPS_ALLOW_UNSANDBOXED=true to run jobs as plain processes.";

/**
 * Whether a bubblewrap sandbox can be made here, by making one that runs `true` (as `hostUser`
 * when given), with the first bwrap found on PATH (or among `candidates`). Says what is missing when not: no bwrap binary, or one that cannot create the
 * namespaces.
 */
export function probeBubblewrap(hostUser?: { uid: number; gid: number }, candidates?: readonly string[]): SandboxProbe {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/bin", "/bin"].filter((d) => path.isAbsolute(d));
  const bwrap = (candidates ?? dirs.map((d) => path.join(d, "bwrap"))).find((p) => existsSync(p));
  if (!bwrap) return { ok: false, message: `Jobs run in a bubblewrap sandbox, and bwrap is not installed. ${INSTALL_HINT}` };
  const system = systemView();
  const args = buildBwrapArgv({ binds: system.binds, symlinks: system.symlinks, uid: 1000, gid: 1000, cwd: "/", network: false, argv: ["true"] });
  const result = spawnSync(bwrap, args, {
    env: { PATH: "/usr/bin:/bin" },
    cwd: "/",
    encoding: "utf8",
    timeout: 10_000,
    ...(hostUser ? { uid: hostUser.uid, gid: hostUser.gid } : {}),
  });
  if (result.status === 0) return { ok: true, bwrap };
  const why = (result.stderr || result.error?.message || `exit ${String(result.status)}`).trim();
  return { ok: false, message: `Jobs run in a bubblewrap sandbox, and ${bwrap} cannot make one here (${why}). ${INSTALL_HINT}` };
}
