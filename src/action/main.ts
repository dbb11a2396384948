#!/usr/bin/env node
// The GitHub Action's entry (action.yml: runs.using node20, main dist/action/main.js).
import { runAction } from "./run-action.js";

process.exitCode = await runAction({ env: process.env, out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
