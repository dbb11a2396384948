/** One bind mount of a sandbox: `host` shown at `at`, read-only unless `writable`. */
export interface SandboxBind {
  readonly host: string;
  readonly at: string;
  readonly writable: boolean;
}

/** Everything a bubblewrap sandbox is made of; the view holds nothing that is not listed here. */
export interface BwrapPlan {
  readonly binds: readonly SandboxBind[];
  /** Symlinks in the sandbox's root (`/bin -> usr/bin` on a merged-/usr system). */
  readonly symlinks: readonly { readonly target: string; readonly at: string }[];
  /** The uid and gid the command sees (mapped to the launcher's own outside). */
  readonly uid: number;
  readonly gid: number;
  readonly cwd: string;
  readonly network: boolean;
  readonly argv: readonly string[];
}

/**
 * bubblewrap's arguments for a plan: new user, PID, IPC, UTS and cgroup namespaces (and network,
 * when it is off), no nested user namespaces, a new session (no terminal injection), the whole
 * sandbox killed when the launcher dies, a fresh /proc and /dev, the root's links, the binds in
 * order, and a read-only root. The environment is not set here: the launcher is started with exactly the
 * job's, so no value ever appears on a command line.
 */
export function buildBwrapArgv(plan: BwrapPlan): string[] {
  const args = [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(plan.network ? [] : ["--unshare-net"]),
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--uid", String(plan.uid),
    "--gid", String(plan.gid),
    "--hostname", "mlops-job",
    "--proc", "/proc",
    "--dev", "/dev",
  ];
  for (const link of plan.symlinks) args.push("--symlink", link.target, link.at);
  for (const bind of plan.binds) args.push(bind.writable ? "--bind" : "--ro-bind", bind.host, bind.at);
  args.push("--remount-ro", "/", "--chdir", plan.cwd, "--", ...plan.argv);
  return args;
}
