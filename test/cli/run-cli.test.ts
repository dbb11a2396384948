import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-command.js";
import { cliCommands } from "../../src/cli/commands/index.js";
import { DOCTOR_CHECK_IDS } from "../../src/cli/commands/doctor.js";
import { serveOptions } from "../../src/cli/commands/serve.js";
import { parseCliArgs } from "../../src/cli/parse-cli-args.js";
import { callerCwd, isStyled, readVersion } from "../../src/cli/process-io.js";
import { runCli } from "../../src/cli/run-cli.js";
import { userCacheDir } from "../../src/cli/user-cache-dir.js";
import { serveFlags } from "../../src/serve/serve-config.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = { cwd: "/nonexistent", env: {}, out: (t) => (out += t), err: (t) => (err += t) };
  const code = await runCli({ argv, io, commands: cliCommands, version: "1.2.3" });
  return { code, out, err };
}

describe("mlops-bot (the dispatcher)", () => {
  it("prints the version", async () => {
    expect(await cli("--version")).toEqual({ code: 0, out: "mlops-bot 1.2.3\n", err: "" });
    expect((await cli("-V")).out).toBe("mlops-bot 1.2.3\n");
    expect(readVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("prints the command list on --help and help (stdout, 0), and to stderr with 2 when no command is given", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.err).toBe("");
    for (const c of cliCommands) expect(help.out).toContain(`  ${c.name.padEnd(7)}  ${c.summary}`);
    expect((await cli("help")).out).toBe(help.out);
    expect(await cli()).toEqual({ code: 2, out: "", err: help.out });
  });

  it("prints a command's usage on help <command> and <command> --help / -h", async () => {
    for (const c of cliCommands) {
      const viaHelp = await cli("help", c.name);
      expect(viaHelp).toEqual({ code: 0, out: `${c.usage}\n`, err: "" });
      expect(await cli(c.name, "--help")).toEqual(viaHelp);
      expect(await cli(c.name, "-h")).toEqual(viaHelp);
      expect(c.usage.startsWith(`Usage: mlops-bot ${c.name}`)).toBe(true);
    }
  });

  it("refuses unknown commands and options with the list, on stderr, exit 2", async () => {
    const names = cliCommands.map((c) => c.name).join(", ");
    expect(await cli("trian")).toEqual({ code: 2, out: "", err: `mlops-bot: unknown command "trian". Commands: ${names}.\nRun \`mlops-bot --help\` for what each does.\n` });
    expect((await cli("--verbose")).err).toMatch(/^mlops-bot: unknown option "--verbose"\. Commands: /);
    expect(await cli("help", "trian")).toEqual({ code: 2, out: "", err: `mlops-bot help: no command "trian". Commands: ${names}.\n` });
  });

  it("gives every command's usage errors one shape: what is wrong, the synopsis, where the options are", async () => {
    for (const c of cliCommands) {
      const { code, out, err } = await cli(c.name, "--no-such-option");
      expect(code).toBe(2);
      expect(out).toBe("");
      expect(err).toBe(`mlops-bot ${c.name}: unknown option "--no-such-option"\n\n${c.usage.split("\n")[0]}\nRun \`mlops-bot ${c.name} --help\` for the options.\n`);
    }
  });

  it("doctor's usage lists exactly the doctor's checks, in order", async () => {
    const { doctorChecks } = await import("../../src/doctor/doctor-checks.js");
    expect([...DOCTOR_CHECK_IDS]).toEqual(doctorChecks.map((c) => c.id));
  });

  it("serve's flags are exactly the server's settings' flags", () => {
    expect(Object.keys(serveOptions).map((name) => `--${name}`).sort()).toEqual([...serveFlags.keys()].sort());
  });
});

describe("parseCliArgs", () => {
  const spec = { options: { base: { type: "string" }, json: { type: "boolean", short: "j" }, env: { type: "string", multiple: true } }, positionals: true } as const;

  it("parses like node:util parseArgs", () => {
    expect(parseCliArgs(["--base=main", "-j", "x=1", "--env", "A", "--env", "B", "--", "--odd"], spec)).toEqual({
      ok: true,
      value: { values: { base: "main", json: true, env: ["A", "B"] }, positionals: ["x=1", "--odd"], rest: [], help: false },
    });
    expect(parseCliArgs(["--base", "main", "--", "dvc", "repro"], { ...spec, positionals: false, rest: true })).toMatchObject({ ok: true, value: { positionals: [], rest: ["dvc", "repro"] } });
  });

  it.each([
    [["--frob"], 'unknown option "--frob"'],
    [["-x"], 'unknown option "-x"'],
    [["--base"], "--base needs a value, got nothing"],
    [["--base", "--json"], '--base needs a value, got "--json"'],
    [["--json=1"], '--json takes no value (got "1")'],
  ])("says %j in its own words: %s", (args, error) => {
    expect(parseCliArgs(args, spec)).toEqual({ ok: false, error });
  });

  it("refuses words where none are taken, also after --", () => {
    expect(parseCliArgs(["stray"], { ...spec, positionals: false })).toEqual({ ok: false, error: 'unexpected argument "stray"' });
    expect(parseCliArgs(["--", "stray"], { ...spec, positionals: false })).toEqual({ ok: false, error: 'unexpected argument "stray" after --' });
  });

  it("takes --help and -h anywhere, before checking the rest", () => {
    expect(parseCliArgs(["--base", "x", "-h"], spec)).toMatchObject({ ok: true, value: { help: true } });
  });
});

describe("the caller's folder, colour and the cache folder", () => {
  const own = path.resolve("package.json");
  it("takes INIT_CWD only for this package's own `npm run cli`", () => {
    const npm = { npm_lifecycle_event: "cli", npm_package_json: own, INIT_CWD: "/home/me/my-ml-repo" };
    expect(callerCwd({ cwd: "/checkout", env: npm, packageJson: own })).toBe("/home/me/my-ml-repo");
    expect(callerCwd({ cwd: "/checkout", env: { ...npm, npm_lifecycle_event: "train" }, packageJson: own })).toBe("/checkout");
    expect(callerCwd({ cwd: "/my-repo", env: { ...npm, npm_package_json: "/my-repo/package.json" }, packageJson: own })).toBe("/my-repo");
    expect(callerCwd({ cwd: "/checkout", env: {}, packageJson: own })).toBe("/checkout");
  });

  it("styles only a terminal without NO_COLOR and not TERM=dumb", () => {
    expect(isStyled({ isTTY: true }, {})).toBe(true);
    expect(isStyled({ isTTY: false }, {})).toBe(false);
    expect(isStyled({}, {})).toBe(false);
    expect(isStyled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(isStyled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(isStyled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  it("puts the data folder in the user cache, by platform", () => {
    expect(userCacheDir({ env: { XDG_CACHE_HOME: "/x/cache" }, platform: "linux", home: "/home/me" })).toBe("/x/cache/mlops-bot");
    expect(userCacheDir({ env: { XDG_CACHE_HOME: "relative" }, platform: "linux", home: "/home/me" })).toBe("/home/me/.cache/mlops-bot");
    expect(userCacheDir({ env: {}, platform: "darwin", home: "/Users/me" })).toBe("/Users/me/Library/Caches/mlops-bot");
    expect(userCacheDir({ env: { LOCALAPPDATA: "C:\\Users\\me\\AppData\\Local" }, platform: "win32", home: "C:\\Users\\me" })).toBe(path.join("C:\\Users\\me\\AppData\\Local", "mlops-bot", "Cache"));
  });
});
