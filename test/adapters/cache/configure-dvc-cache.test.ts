import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configureDvcCache } from "../../../src/adapters/cache/configure-dvc-cache.js";
import { tempDir } from "../../helpers/temp-dir.js";

const layers = { own: "/cache/o/r/pr-1", base: "/cache/o/r/default" };

function checkout(): string {
  const root = tempDir();
  mkdirSync(path.join(root, "ml", ".dvc"), { recursive: true });
  writeFileSync(path.join(root, "ml", ".dvc", "config"), "[core]\n    remote = local\n");
  return root;
}

describe("configureDvcCache", () => {
  it("writes the layers into the project's .dvc/config.local and shows the own layer read-write, the base read-only", async () => {
    const root = checkout();
    const setup = await configureDvcCache({ root, workdir: "ml", argv: ["dvc", "repro"], layers });
    expect(setup).toEqual({
      ok: true,
      argv: ["dvc", "repro", "--pull"],
      dvcRoot: "ml",
      readsBase: true,
      mounts: [
        { host: "/cache/o/r/pr-1", writable: true },
        { host: "/cache/o/r/default", writable: false },
      ],
    });
    expect(readFileSync(path.join(root, "ml/.dvc/config.local"), "utf8")).toContain("dir = /cache/o/r/pr-1");
  });

  it("finds the project above a workdir inside it", async () => {
    const root = checkout();
    mkdirSync(path.join(root, "ml", "pipelines", "a"), { recursive: true });
    const setup = await configureDvcCache({ root, workdir: "ml/pipelines/a", argv: ["dvc", "repro"], layers: { own: "/c/default" } });
    expect(setup).toMatchObject({ ok: true, dvcRoot: "ml", mounts: [{ host: "/c/default", writable: true }] });
  });

  it("replaces a config.local the pull request committed as a link, without writing through it", async () => {
    const root = checkout();
    const outside = path.join(tempDir(), "bot-file");
    writeFileSync(outside, "the bot's own file");
    symlinkSync(outside, path.join(root, "ml/.dvc/config.local"));
    expect((await configureDvcCache({ root, workdir: "ml", argv: ["dvc", "repro"], layers })).ok).toBe(true);
    expect(readFileSync(outside, "utf8")).toBe("the bot's own file");
    expect(lstatSync(path.join(root, "ml/.dvc/config.local")).isFile()).toBe(true);
  });

  it("uses no shared cache when .dvc or the workdir is a link, or there is no DVC project, and says why", async () => {
    const linked = tempDir();
    mkdirSync(path.join(linked, "ml"));
    mkdirSync(path.join(linked, "elsewhere"));
    symlinkSync(path.join(linked, "elsewhere"), path.join(linked, "ml", ".dvc"));
    expect(await configureDvcCache({ root: linked, workdir: "ml", argv: ["dvc", "repro"], layers })).toEqual({ ok: false, why: "`ml/.dvc` is a link in the checkout" });

    const workdirLink = checkout();
    symlinkSync(path.join(workdirLink, "ml"), path.join(workdirLink, "train"));
    expect(await configureDvcCache({ root: workdirLink, workdir: "train", argv: ["dvc", "repro"], layers })).toEqual({ ok: false, why: "`train` is a link in the checkout" });

    const none = tempDir();
    mkdirSync(path.join(none, "ml"));
    expect(await configureDvcCache({ root: none, workdir: "ml", argv: ["dvc", "repro"], layers })).toEqual({ ok: false, why: "no DVC project (`.dvc` folder) at or above `ml`", noProject: true });
  });
});
