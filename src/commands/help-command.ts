import { renderHelp } from "../report/replies/render-help.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

export const helpCommand: SlashCommandRunner = {
  name: "help",
  run: (_command, ctx) => Promise.resolve({ reply: renderHelp({ permissions: ctx.config.permissions, enabled: ctx.enabled }) }),
};
