import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { git, initRepo } from "./git-repo.js";
import { OWNER, REPO } from "./payloads.js";

const CONFIG = ".github/mlops-bot.yml";

/**
 * The bot reads its repo config with git from the default branch (`main`) of the repository's
 * origin, never through the contents API. Tests that used to fake `GET /contents/...` commit the
 * config into their "GitHub" repository instead (`<originRoot>/Codertocat/Hello-World`, made
 * with one commit when missing), or remove it (`undefined`: the bot uses every default).
 * Commits only the config's path, on `main` (which must be checked out); nothing when it is
 * already so. Returns the default branch's head.
 */
export function commitRepoConfig(originRoot: string, text: string | undefined, owner = OWNER, repo = REPO): string {
  const origin = path.join(originRoot, owner, repo);
  if (!existsSync(path.join(origin, ".git"))) {
    initRepo(origin);
    writeFileSync(path.join(origin, "README.md"), "test repository\n");
    git(origin, "add", "README.md");
    git(origin, "commit", "-q", "-m", "initial");
  }
  const branch = git(origin, "symbolic-ref", "--short", "HEAD");
  if (branch !== "main") throw new Error(`commitRepoConfig: ${origin} has ${branch} checked out, not main`);
  const file = path.join(origin, CONFIG);
  const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (current !== text) {
    if (text === undefined) git(origin, "rm", "-q", "--", CONFIG);
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      git(origin, "add", "--", CONFIG);
    }
    git(origin, "commit", "-q", "-m", text === undefined ? "remove the bot's config" : "the bot's config", "--", CONFIG);
  }
  return git(origin, "rev-parse", "HEAD");
}

/** Removes the test's origin: every git read of it fails (GitHub's git unreachable). */
export function removeOrigin(originRoot: string, owner = OWNER, repo = REPO): void {
  rmSync(path.join(originRoot, owner, repo), { recursive: true, force: true });
}
