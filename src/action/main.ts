#!/usr/bin/env node
// The GitHub Action's entry (action.yml: runs.using node20; bundled into dist-action/main.js).
import { runAction } from "./run-action.js";

const io = { env: process.env, out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t) };
process.exitCode = await runAction(io).catch((e: unknown) => {
  // An error GitHub or the machine raised mid-run: one annotation line, then the stack for the log.
  io.err(`::error::mlops-bot: ${(e as Error).message}\n${(e as Error).stack ?? ""}\n`);
  return 1;
});
