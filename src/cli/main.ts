#!/usr/bin/env node
import { cliCommands } from "./commands/index.js";
import { processIo, readVersion } from "./process-io.js";
import { runCli } from "./run-cli.js";

const { io, dispose } = processIo();
const code = await runCli({ argv: process.argv.slice(2), commands: cliCommands, io, version: readVersion() });
dispose();
process.exitCode = code;
