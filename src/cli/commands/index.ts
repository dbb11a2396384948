import type { CliCommand } from "../cli-command.js";
import { backlogCommand } from "./backlog.js";
import { diffCommand } from "./diff.js";
import { doctorCommand } from "./doctor.js";
import { jobCommand } from "./job.js";
import { jobsCommand } from "./jobs.js";
import { serveCommand } from "./serve.js";
import { trainCommand } from "./train.js";

/**
 * Every sub-command, by name. Add a command by adding its spec file (`defineCommand`: name,
 * usage, options, and its work behind a dynamic import) and one line here. These files stay
 * light: `mlops-bot --help` loads only them (test/cli/module-count.test.ts).
 */
export const cliCommands: readonly CliCommand[] = [backlogCommand, diffCommand, doctorCommand, jobCommand, jobsCommand, serveCommand, trainCommand];
