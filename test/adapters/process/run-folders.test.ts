import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRunFolder, sweepRunFolders } from "../../../src/adapters/process/run-folders.js";
import { tempDir } from "../../helpers/temp-dir.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

describe("sweepRunFolders", () => {
  it("kills what still uses a dead owner's folders (setsid'd, by working folder or environment) and removes them; a live owner's stay", async () => {
    const root = tempDir();
    const dead = await createRunFolder(root, "run-");
    const live = await createRunFolder(root, "run-");
    mkdirSync(path.join(dead, "home"));
    const owner = path.join(dead, "owner.json");
    writeFileSync(owner, JSON.stringify({ ...JSON.parse(readFileSync(owner, "utf8")), start: "0" }));
    // What an unsandboxed job of a killed bot leaves: daemons in sessions of their own (`detached`
    // is setsid), one in its folder, one elsewhere with its HOME.
    const inFolder = spawn("sleep", ["300"], { cwd: dead, detached: true, stdio: "ignore" });
    const byEnv = spawn("sleep", ["301"], { cwd: "/", env: { PATH: process.env.PATH, HOME: path.join(dead, "home") }, detached: true, stdio: "ignore" });
    const bystander = spawn("sleep", ["302"], { cwd: live, detached: true, stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 300));
    expect([inFolder, byEnv, bystander].map((c) => alive(c.pid!))).toEqual([true, true, true]);
    try {
      expect(await sweepRunFolders(root)).toEqual([dead]);
      await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(alive(inFolder.pid!)).toBe(false);
      expect(alive(byEnv.pid!)).toBe(false);
      expect(alive(bystander.pid!)).toBe(true);
    } finally {
      for (const child of [inFolder, byEnv, bystander]) child.kill("SIGKILL");
    }
  });
});
