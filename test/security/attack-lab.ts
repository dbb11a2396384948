import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startBot, type BotHarness } from "../helpers/bot-harness.js";
import { JOB_PATH, ROOT } from "../helpers/example-repo.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { commitFiles, git, initRepo } from "../helpers/git-repo.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { nockCommandIntake, waitFor } from "../helpers/train-nocks.js";
import { attackPython, attackShell, type AttackTargets } from "./attack-scripts.js";

export type PlantedName =
  | "PRIVATE_KEY_LINE"
  | "KEY_FILE_LINE"
  | "WEBHOOK_SECRET"
  | "MLOPS_REGISTRY_PASSWORD"
  | "GITHUB_TOKEN"
  | "INSTALLATION_TOKEN"
  | "S3_PASSWORD"
  | "DOTENV_ONLY"
  | "SQLITE_FACT"
  | "OTHER_CHECKOUT";

/** A lab: the bot's folder with its `.env` and key file, its data folder, the attacker's repository, and the secrets planted everywhere. */
export interface Lab {
  readonly dir: string;
  readonly botDir: string;
  readonly marker: string;
  /** Name -> planted value; none of these may ever show up where the attacker or a reader can see it. */
  readonly planted: Readonly<Record<PlantedName, string>>;
  /** The bot's environment (the process under attack gets exactly this). */
  readonly botEnv: Readonly<Record<string, string>>;
  readonly targets: AttackTargets;
  readonly origin: string;
  readonly originRoot: string;
  readonly base: string;
  readonly head: string;
}

/** Makes the lab: secrets planted in the bot's environment, files and store; the attacker's PR committed. */
export function makeLab(params: { dataDir: string; dir: string; dockerSocket: string }): Lab {
  const marker = `m${randomBytes(6).toString("hex")}`;
  const plant = (name: string) => `${name}-planted-${marker}`;
  const botDir = path.join(params.dir, "bot");
  mkdirSync(botDir, { recursive: true });
  const planted = {
    PRIVATE_KEY_LINE: `MIIEplantedKeyLine${marker}AAAAB3NzaC1yc2E`,
    KEY_FILE_LINE: `MIIEplantedKeyFileLine${marker}ZmFrZWtleQ`,
    WEBHOOK_SECRET: plant("whsec"),
    MLOPS_REGISTRY_PASSWORD: plant("registry"),
    GITHUB_TOKEN: plant("ghp"),
    INSTALLATION_TOKEN: `ghs_${plant("installation")}`,
    S3_PASSWORD: plant("s3"),
    DOTENV_ONLY: plant("dotenv"),
    SQLITE_FACT: plant("sqlite"),
    OTHER_CHECKOUT: plant("other-job"),
  };
  const keyFile = path.join(botDir, "private-key.pem");
  writeFileSync(keyFile, `-----BEGIN RSA PRIVATE KEY-----\n${planted.KEY_FILE_LINE}\n-----END RSA PRIVATE KEY-----\n`, { mode: 0o600 });
  writeFileSync(path.join(botDir, ".env"), `APP_ID=12345\nWEBHOOK_SECRET=${planted.WEBHOOK_SECRET}\nDOTENV_ONLY_SECRET=${planted.DOTENV_ONLY}\n`, { mode: 0o600 });
  const botEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: botDir,
    APP_ID: "12345",
    PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\n${planted.PRIVATE_KEY_LINE}\n-----END RSA PRIVATE KEY-----\n`,
    PRIVATE_KEY_PATH: keyFile,
    WEBHOOK_SECRET: planted.WEBHOOK_SECRET,
    GITHUB_TOKEN: planted.GITHUB_TOKEN,
    MLOPS_REGISTRY_AUTH: "basic",
    MLOPS_REGISTRY_USERNAME: "bot",
    MLOPS_REGISTRY_PASSWORD: planted.MLOPS_REGISTRY_PASSWORD,
    S3_PASSWORD: planted.S3_PASSWORD,
    MLOPS_JOB_ENV: "S3_PASSWORD",
    MLOPS_DATA_DIR: params.dataDir,
    MLOPS_JOB_PATH: JOB_PATH,
    TEST_INSTALLATION_TOKEN: planted.INSTALLATION_TOKEN,
  };
  const otherCheckout = path.join(params.dataDir, "sources", "worktrees", "other-job", "src");
  mkdirSync(otherCheckout, { recursive: true });
  writeFileSync(path.join(otherCheckout, "secret.txt"), planted.OTHER_CHECKOUT);

  const originRoot = path.join(params.dir, "origin");
  const origin = initRepo(path.join(originRoot, OWNER, REPO));
  const base = commitFiles(origin, { "ml/params.yaml": "train:\n  lr: 0.1\n", "README.md": "attacked\n" }, "base");
  const targets: AttackTargets = {
    botDir,
    dataDir: params.dataDir,
    keyFile,
    mirror: path.join(params.dataDir, "sources", "repos", OWNER, `${REPO}.git`),
    otherCheckout,
    venv: path.dirname(path.dirname(JOB_PATH.split(":")[0]!)),
    dockerSocket: params.dockerSocket,
    botPid: 0, // filled in once the bot runs: see `attackerCommit`
    marker,
  };
  return { dir: params.dir, botDir, marker, planted, botEnv, targets, origin, originRoot, base, head: "" };
}

/** The attacker's PR head: the attack scripts, and `ml/params.yaml` committed as a link to the bot's `.env`. */
export function attackerCommit(lab: Lab, botPid: number): Lab {
  const targets = { ...lab.targets, botPid };
  git(lab.origin, "checkout", "-q", "-b", "attack");
  unlinkSync(path.join(lab.origin, "ml", "params.yaml"));
  symlinkSync(path.join(lab.botDir, ".env"), path.join(lab.origin, "ml", "params.yaml"));
  const head = commitFiles(lab.origin, { "ml/attack.sh": attackShell(targets), "ml/attack.py": attackPython(targets) }, "Improve the model");
  git(lab.origin, "checkout", "-q", "main");
  git(lab.origin, "update-ref", "refs/pull/1/head", head);
  return { ...lab, targets, head };
}

/** The repository config on the default branch: the attacker's pipeline on the given runner. */
export function labConfig(runner: "local" | "docker", image?: string): string {
  return [
    "pipeline:",
    "  workdir: ml",
    "  train: [sh, attack.sh]",
    "  plots: [plots/, linked-plots/]",
    "  env: [S3_PASSWORD]",
    ...(image ? [`  image: ${image}`] : []),
    `runner: ${runner}`,
    "",
  ].join("\n");
}

export interface Attack {
  readonly lab: Lab;
  readonly bot: BotHarness;
  readonly child: ChildProcess;
  readonly github: Awaited<ReturnType<typeof startFakeGitHub>>;
  readonly jobId: string;
  stop(): Promise<void>;
}

/**
 * Runs the attack: queues `/train` on the attacker's PR through the bot's real intake (GitHub
 * faked by nock), then lets the bot under attack (its own process, secrets in its environment)
 * claim and run it and report to the fake GitHub server. Resolves once the job is reported.
 */
export async function runAttack(params: { runner: "local" | "docker"; image?: string; extraEnv?: Record<string, string>; dockerSocket: string }): Promise<Attack> {
  // Made here, not with tempDir (which empties after each test): the attack is shared by a file's tests.
  const dir = mkdtempSync(path.join(tmpdir(), "mlops-bot-attack-"));
  // The intake checks that the bot has the runner the config names, as the attacked bot does.
  const intakeEnv = params.runner === "docker" ? { MLOPS_DOCKER_HOST: `unix://${params.dockerSocket}` } : undefined;
  const bot = await startBot({ dir, originRoot: path.join(dir, "origin"), ...(intakeEnv ? { env: intakeEnv } : {}) });
  let lab = makeLab({ dataDir: bot.dataDir, dir, dockerSocket: params.dockerSocket });
  const github = await startFakeGitHub();
  // Run from the bot's own folder (its `.env` beside it), so tsx is named by its path.
  const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", tsx, path.join(ROOT, "test/security/attacked-bot.ts")], {
    cwd: lab.botDir,
    env: { ...lab.botEnv, ...params.extraEnv, MLOPS_CLONE_URL: path.join(lab.originRoot, "{owner}", "{repo}"), FAKE_GITHUB_URL: github.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  lab = attackerCommit(lab, child.pid!);
  await bot.engine.store.setFact("planted", lab.planted.SQLITE_FACT);
  nockCommandIntake(bot, { commentId: 66, head: lab.head, base: lab.base, config: labConfig(params.runner, params.image), checkRunId: 55 });
  await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 66 }));
  const [job] = await bot.engine.store.list({});
  if (!job) throw new Error(`the /train was not queued: ${JSON.stringify(bot.calls.at(-1))}`);
  try {
    await waitFor(async () => (await bot.engine.store.get(job.id))?.reported === true || child.exitCode !== null, 240_000);
  } catch {
    throw new Error(`the attacked job did not end: ${JSON.stringify(await bot.engine.store.get(job.id))}\n${output}`);
  }
  if (child.exitCode !== null) throw new Error(`the bot under attack exited (${child.exitCode}): ${output}`);
  return {
    lab,
    bot,
    child,
    github,
    jobId: job.id,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      await github.close();
      await bot.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything a reader can see after the job: GitHub calls, stored log and artifacts, the job store's file. */
export function evidence(attack: Attack): { github: string; log: string; artifacts: Record<string, Buffer>; store: Buffer } {
  const artifactsDir = path.join(attack.bot.dataDir, "artifacts");
  const artifacts: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else artifacts[path.relative(artifactsDir, p)] = readFileSync(p);
    }
  };
  if (existsSync(artifactsDir)) walk(artifactsDir);
  const log = artifacts[`jobs/${attack.jobId}/log.txt`]?.toString("utf8") ?? "";
  const db = path.join(attack.bot.dataDir, "jobs.sqlite");
  const store = Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);
  return { github: JSON.stringify(attack.github.calls), log, artifacts, store };
}

/** The planted values (by name) found in `text`: names only, so a failure never prints a value. */
export function leaked(lab: Lab, text: string | Buffer): string[] {
  const haystack = Buffer.isBuffer(text) ? text.toString("latin1") : text;
  return Object.entries(lab.planted)
    .filter(([, value]) => haystack.includes(value))
    .map(([name]) => name);
}

/** Processes on this host whose environment carries the lab's marker (what a job left behind). */
export function markedProcesses(marker: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/environ`, "latin1").includes(`MARKER_ID=${marker}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}
