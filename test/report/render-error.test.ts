import { describe, expect, it } from "vitest";
import { ConfigError, PermissionError, RunnerError, StorageError, UsageError } from "../../src/core/errors.js";
import { errorLogFields, renderError } from "../../src/report/render-error.js";

describe("renderError: the one place typed errors become what a user reads", () => {
  it("lists a config error's problems with where they are", () => {
    const error = new ConfigError([{ file: ".github/mlops-bot.yml", line: 3, column: 1, message: "Unrecognized key: \"runer\"" }]);
    expect(renderError(error)).toBe("The bot's configuration is invalid, so nothing was run:\n\n- .github/mlops-bot.yml:3:1: Unrecognized key: \"runer\".");
    expect(renderError(error, { nothingRan: "the re-run did not start" })).toMatch(/^The bot's configuration is invalid, so the re-run did not start:/);
  });

  it("writes the permission refusal once, for commands and buttons alike", () => {
    const refusal = (action: string) => new PermissionError({ user: "visitor", action, required: "write", actual: "read" });
    expect(renderError(refusal("`/train`"))).toBe("`/train` needs **write** permission on this repository; you have **read**. Nothing was run.");
    expect(renderError(refusal("Re-running training"))).toBe("Re-running training needs **write** permission on this repository; you have **read**. Nothing was run.");
  });

  it("shows a usage error with its details, and runner and storage errors by their message", () => {
    expect(renderError(new UsageError("The overrides cannot be written.", ["`ml/params.yaml` is a link"]))).toBe("The overrides cannot be written.\n- `ml/params.yaml` is a link");
    expect(renderError(new RunnerError("`runner: cloud-run` is not available on this bot."))).toBe("`runner: cloud-run` is not available on this bot.");
    expect(renderError(new StorageError("cannot read job x in the job store at /data/jobs.sqlite"))).toBe("cannot read job x in the job store at /data/jobs.sqlite");
  });

  it("never shows a user the message of an error that is not the bot's typed error (a bug)", () => {
    const text = renderError(new TypeError("Cannot read properties of undefined (reading '/srv/secret/path')"));
    expect(text).toBe("It failed on the bot's side (TypeError); nothing was lost. Try again, and tell the bot's operator if it keeps failing.");
    expect(renderError(new Error("x"), { subject: "`/train`", retry: "Comment it again to retry." })).toBe("`/train` failed on the bot's side (Error); nothing was lost. Comment it again to retry.");
    expect(errorLogFields(new UsageError("bad"))).toEqual({ err: { name: "UsageError", message: "bad" }, kind: "usage" });
    const bug = new Error("boom");
    expect(errorLogFields(bug)).toEqual({ err: bug });
  });
});
