import { execFile } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/example-repo.js";
import { infraTools } from "../helpers/infra-tools.js";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const tools = infraTools();
const CHECK = path.join(ROOT, "scripts/check-terraform-modules.py");

/** Runs the checker on `root`; its exit code and output (one line per problem). */
async function check(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(tools!.python, [CHECK, ...args, root], { cwd: path.dirname(root) });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, out: error.stdout, err: error.stderr };
  }
}

/** A copy of infra/ with `edits` applied: file (relative to infra/) -> [search, replacement]. */
function brokenCopy(edits: Record<string, [string, string][]>): string {
  const root = path.join(tempDir(), "infra");
  cpSync(path.join(ROOT, "infra"), root, { recursive: true, filter: (src) => !src.includes(".terraform") });
  for (const [file, replacements] of Object.entries(edits)) {
    let text = readFileSync(path.join(root, file), "utf8");
    for (const [search, replacement] of replacements) {
      expect(text, `${file} should contain ${search}`).toContain(search);
      text = text.replace(search, replacement);
    }
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe.runIf(tools)("static check of the Terraform modules (scripts/check-terraform-modules.py)", () => {
  it("passes on infra/ as committed: every module documented, called and wired", async () => {
    const result = await check(path.join(ROOT, "infra"));
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/1[0-9] modules, 1 environments, \d+ variables: ok/);
  });

  it("fails on a broken module and names each problem with its file, line and fix", async () => {
    const root = brokenCopy({
      "modules/mlflow/variables.tf": [['description = "Initial SSD size of the instance in GB (it grows by itself when full)."', ""]],
      "modules/inference/main.tf": [["  project             = var.project_id\n  name                = var.name\n  location", '  project             = "acme-prod-42"\n  name                = var.name\n  location']],
      "modules/gke/main.tf": [['workload_pool = "${var.project_id}.svc.id.goog"', 'workload_pool = "acme-prod-42.svc.id.goog"']],
      "envs/dev/main.tf": [["MLFLOW_TRACKING_URI = one(module.mlflow[*].url)", "MLFLOW_TRACKING_URI = one(module.mlflow[*].tracking_url)"]],
      "envs/dev/platform.tf": [["  max_instances              = var.mlflow_max_instances\n", "  max_instances              = var.mlflow_max_instances\n  max_connections            = 20\n"]],
    });
    const result = await check(root);
    expect(result.code).toBe(1);
    const lines = result.out.trim().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^infra\/modules\/mlflow\/variables\.tf:\d+: variable "database_disk_gb" has no description: add description = /),
        expect.stringMatching(/^infra\/modules\/inference\/main\.tf:\d+: resource "google_cloud_run_v2_service" "this" sets project = "acme-prod-42": pass the project in \(var\.project_id\)/),
        expect.stringMatching(/^infra\/modules\/gke\/main\.tf:\d+: locals names project "acme-prod-42" in a workload identity pool/),
        expect.stringMatching(/^infra\/envs\/dev\/main\.tf:\d+: module\.mlflow\.tracking_url: module "mlflow" \(infra\/modules\/mlflow\) has no output "tracking_url"/),
        expect.stringMatching(/^infra\/envs\/dev\/platform\.tf:\d+: module "mlflow" passes max_connections, which infra\/modules\/mlflow does not declare/),
      ]),
    );
    expect(lines).toHaveLength(5);
    expect(result.err).toMatch(/5 problems/);
  });

  it("fails when a module loses a required input or is called by no environment", async () => {
    const root = brokenCopy({
      "envs/dev/platform.tf": [["  project_number        = data.google_project.this.number\n", ""]],
    });
    cpSync(path.join(root, "modules/budget"), path.join(root, "modules/orphan"), { recursive: true });
    const result = await check(root);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^infra\/envs\/dev\/platform\.tf:\d+: module "mlflow" does not pass project_number, which infra\/modules\/mlflow requires \(no default\)$/m);
    expect(result.out).toMatch(/^infra\/modules\/orphan: no environment calls this module/m);
  });

  it("wires the MLflow URL into the bot and the training job, and the bot's and job's identities into MLflow's invokers", async () => {
    const { out } = await check(path.join(ROOT, "infra"), "--graph");
    const dev = (JSON.parse(out) as Record<string, Record<string, { args: Record<string, string[]> } | string[]>>).dev!;
    const local = (name: string) => dev[`local.${name}`] as string[];
    const args = (module: string) => (dev[`module.${module}`] as { args: Record<string, string[]> }).args;
    expect(local("mlflow_env")).toContain("module.mlflow.url");
    expect(local("mlflow_bot_env")).toContain("local.mlflow_env");
    expect(local("bot_env")).toContain("local.mlflow_bot_env");
    expect(args("bot_service").env).toContain("local.bot_env");
    expect(args("training_job").env).toContain("local.mlflow_env");
    expect(args("mlflow").invoker_members).toEqual(expect.arrayContaining(["module.iam.bot_member", "module.iam.training_member", "var.mlflow_invoker_members"]));
    expect(args("inference").deployer_members).toContain("module.iam.bot_member");
    expect(args("gke").workload_bindings).toContain("module.inference.models_bucket");
  });

  it("puts the bot's job store on MLflow's Cloud SQL instance, as the bot's own IAM user, with no password in its environment", async () => {
    const { out } = await check(path.join(ROOT, "infra"), "--graph");
    const dev = (JSON.parse(out) as Record<string, Record<string, { args: Record<string, string[]> } | string[]>>).dev!;
    const local = (name: string) => dev[`local.${name}`] as string[];
    const args = (module: string) => (dev[`module.${module}`] as { args: Record<string, string[]> }).args;
    expect(args("bot_database").instance_name).toEqual(["module.mlflow.instance_name"]);
    expect(args("bot_database").bot_service_account_email).toEqual(["module.iam.bot_email"]);
    expect(local("job_store_env")).toEqual(expect.arrayContaining(["module.bot_database.job_store_url", "module.bot_database.connection_name", "module.storage.job_store_url"]));
    expect(local("bot_env")).toContain("local.job_store_env");
    // The database module makes no password: no random_password, no secret, no password argument.
    const module = readFileSync(path.join(ROOT, "infra/modules/bot_database/main.tf"), "utf8");
    expect(module).toMatch(/type += "CLOUD_IAM_SERVICE_ACCOUNT"/);
    expect(module).not.toMatch(/random_password|password\s*=|google_secret_manager/);
  });
});
