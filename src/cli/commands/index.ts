import type { CliCommand } from "../cli-command.js";
import { backlogCommand } from "./backlog.js";
import { diffCommand } from "./diff.js";
import { doctorCommand } from "./doctor.js";
import { jobCommand } from "./job.js";
import { jobsCommand } from "./jobs.js";
import { serveCommand } from "./serve.js";
import { trainCommand } from "./train.js";

/** Every sub-command, by name. Add a command by adding its file and one line here. */
export const cliCommands: readonly CliCommand[] = [
  backlogCommand,
  diffCommand,
  doctorCommand,
  jobCommand,
  jobsCommand,
  serveCommand,
  trainCommand,
];
