import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractTarball } from "../../src/adapters/files/extract-tarball.js";
import { tarDirectory } from "../../src/adapters/runners/cloud-run-job-runner.js";
import { probeBubblewrap } from "../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { OWNER, REPO } from "../helpers/payloads.js";
import { testServicesEnv } from "../helpers/test-services-env.js";
import { tempDir } from "../helpers/temp-dir.js";
import { runControl } from "./attack-control.js";
import { leaked } from "./attack-lab.js";
import { attemptResults, JUDGED_ATTEMPTS } from "./attack-scripts.js";
import { checkContainedAttack } from "./contained-attack.js";

const sandboxed = probeBubblewrap(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined).ok;
const dockerSocket = testServicesEnv().MLOPS_TEST_DOCKER_HOST?.replace(/^unix:\/\//, "") ?? "/var/run/docker.sock";

// One attack, shared by every check (it is the slow part); CI requires the sandbox.
describe.runIf(sandboxed || process.env.MLOPS_REQUIRE_DOCKER === "1")("an attacker's PR pipeline on the local runner (bubblewrap sandbox)", () => {
  let control: Awaited<ReturnType<typeof runControl>>;
  const run = checkContainedAttack({ runner: "local", dockerSocket, after: async ({ attack }) => void (control = await runControl(attack.lab)) });

  it("makes a Cloud Run source tarball of the attacker's checkout whose links out are never unpacked", async () => {
    const { lab } = run().attack;
    const sources = new GitSourceProvider({ root: tempDir(), cloneUrl: path.join(lab.originRoot, "{owner}", "{repo}") });
    const checkout = await sources.checkout({ repo: { owner: OWNER, name: REPO }, sha: lab.head });
    try {
      const dest = tempDir();
      const { notes } = await extractTarball(await tarDirectory(checkout.dir), dest, { perFileBytes: 1 << 20, totalBytes: 1 << 24 });
      expect(notes).toEqual([`\`ml/params.yaml\` is a symbolic link (to \`${path.join(lab.botDir, ".env")}\`): not extracted`]);
      expect(existsSync(path.join(dest, "ml", "params.yaml"))).toBe(false);
      expect(readFileSync(path.join(dest, "ml", "attack.sh"), "utf8")).toContain("attempt proc-environ");
    } finally {
      await checkout.release();
    }
  });

  it("(control) escapes when the same pipeline runs unsandboxed: the attacks are real", () => {
    const { lab } = run().attack;
    const results = attemptResults(control.log);
    const blocked = JUDGED_ATTEMPTS.filter((name) => results.get(name) !== "ESCAPED");
    // kill-bot is held back in the control (the bot under attack is still needed); the socket is there only with the test services.
    expect(blocked).toEqual(["kill-bot", ...(existsSync(dockerSocket) ? [] : ["docker-socket", "py-socket"])].sort((a, b) => JUDGED_ATTEMPTS.indexOf(a as never) - JUDGED_ATTEMPTS.indexOf(b as never)));
    expect(leaked(lab, control.log).sort()).toEqual(Object.keys(lab.planted).sort());
    // The process group's kill still ends the double-forked child; the two that left it with setsid survive.
    expect(control.leftBehind.length).toBe(2);
    const { dataDir, botDir, mirror } = lab.targets;
    const marked = (dir: string) => path.relative(lab.dir, path.join(dir, `pwned-${lab.marker}`));
    expect(control.written.map((f) => path.relative(lab.dir, f)).sort()).toEqual(
      [marked(dataDir), marked(botDir), marked(path.join(mirror, "objects")), marked(path.join(lab.dir, "control", "venv", "bin"))].sort(),
    );
    expect(control.mirrorHooks.sort()).toEqual(["post-checkout", "post-merge"]);
    expect(control.mirrorConfig).toContain("fsmonitor");
  });
});
