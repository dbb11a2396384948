#!/usr/bin/env node
import { cliCommands } from "./commands/index.js";
import { runCli } from "./run-cli.js";

const code = await runCli({
  argv: process.argv.slice(2),
  commands: cliCommands,
  io: {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  },
});
process.exitCode = code;
