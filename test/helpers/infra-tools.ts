import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./example-repo.js";

export interface InfraTools {
  /** The tooling venv's python (python-hcl2, kubernetes-validate). */
  readonly python: string;
  /** kustomize at the pinned version. */
  readonly kustomize: string;
}

/**
 * The tools of the infrastructure checks, made by scripts/setup-infra-tools.sh (npm test runs it
 * through scripts/prepare-test-tools.sh). Undefined when they are missing; with
 * MLOPS_REQUIRE_DOCKER=1 (CI, which requires every test service and tool) that is an error.
 */
export function infraTools(): InfraTools | undefined {
  const python = path.join(ROOT, ".venv-infra/bin/python");
  let gopath = "";
  try {
    gopath = execFileSync("go", ["env", "GOPATH"], { encoding: "utf8", env: { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/local/go/bin` } }).trim();
  } catch {
    // no Go: kustomize cannot have been built here
  }
  const kustomize = process.env.KUSTOMIZE ?? path.join(gopath, "bin/kustomize");
  if (existsSync(python) && gopath !== "" && existsSync(kustomize)) return { python, kustomize };
  if (process.env.MLOPS_REQUIRE_DOCKER === "1") throw new Error("MLOPS_REQUIRE_DOCKER=1 but the infra tools are missing: run bash scripts/setup-infra-tools.sh");
  return undefined;
}
