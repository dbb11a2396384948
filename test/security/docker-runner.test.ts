import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { dockerServices } from "../helpers/docker-services.js";
import { ROOT } from "../helpers/example-repo.js";
import { checkContainedAttack } from "./contained-attack.js";

const run = promisify(execFile);
const services = dockerServices();
/** The Python base image made on the test engine by scripts/make-base-images.sh (once, then kept there). */
const IMAGE = "local/python:3.11-slim-bookworm";

// The same attack, on `runner: docker` with the private test engine (CI requires it).
describe.runIf(services)("an attacker's PR pipeline on the Docker runner", () => {
  const attack = checkContainedAttack({
    runner: "docker",
    image: IMAGE,
    dockerSocket: services?.socketPath ?? "",
    extraEnv: { MLOPS_DOCKER_HOST: `unix://${services?.socketPath ?? ""}`, MLOPS_DOCKER_NETWORK: "bridge" },
    before: async () => {
      await run("bash", [path.join(ROOT, "scripts/make-base-images.sh"), "python"], { env: { ...process.env, DOCKER_HOST: `unix://${services!.socketPath}` } });
    },
  });

  it("ran the pipeline in the container, not on the host", () => {
    const { seen } = attack();
    expect(seen.log).toMatch(/^HOSTNAME=[0-9a-f]{12}$/m);
    expect(seen.log).toMatch(/^HOME=\/home\/job$/m);
  });

  it("removed the job's container", async () => {
    const { attack: a } = attack();
    const mine = await services!.docker.listContainers({ all: true, filters: { label: ["org.mlops-bot.job=true"] } });
    expect(mine.filter((c) => c.Labels["org.mlops-bot.owner"]?.includes(`/${a.child.pid}/`))).toEqual([]);
  });
});
