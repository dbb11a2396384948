import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import { runnerUsed } from "./runner-used.js";

/** The Docker engine (for /build and `runner: docker`) answers, and its network for jobs exists. */
export const dockerCheck: DoctorCheck = {
  id: "runner-docker",
  title: "Docker engine",
  async run(ctx) {
    const tried = "Pinged the Docker engine and looked up the network jobs use (MLOPS_DOCKER_NETWORK).";
    const used = await runnerUsed(ctx);
    if (!ctx.server?.docker || !ctx.docker) {
      if (used === "docker") return failed(tried, "The repository uses `runner: docker`, but the bot has no Docker engine (no /var/run/docker.sock, MLOPS_DOCKER_HOST unset).", "Give the bot an engine (MLOPS_DOCKER_HOST=unix:///path/to/docker.sock), or choose another runner in the repository config.");
      return skipped(tried, "No Docker engine configured: /build and `runner: docker` are off.");
    }
    const { socketPath, network } = ctx.server.docker;
    try {
      const version = (await ctx.docker.version()) as { Version?: string };
      await ctx.docker.getNetwork(network).inspect();
      return passed(tried, `Docker ${version.Version ?? "?"} at ${socketPath}; network \`${network}\` exists.`);
    } catch (e) {
      const message = (e as Error).message;
      const missingNetwork = /network/i.test(message) && /not found|no such/i.test(message);
      return failed(
        tried,
        `${socketPath}: ${message}`,
        missingNetwork ? `Create the network (\`docker network create ${network}\`) or set MLOPS_DOCKER_NETWORK to one that exists.` : `Start the engine and let the bot's user use ${socketPath} (the docker group), or point MLOPS_DOCKER_HOST at a running one.`,
      );
    }
  },
};
