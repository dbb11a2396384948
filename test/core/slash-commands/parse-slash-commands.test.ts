import { describe, expect, it } from "vitest";
import { parseSlashCommands } from "../../../src/core/slash-commands/parse-slash-commands.js";

const names = (body: string) => parseSlashCommands(body).commands.map((c) => c.name);

describe("parseSlashCommands", () => {
  it("finds a command alone on the first line", () => {
    const { commands, errors } = parseSlashCommands("/train");
    expect(errors).toEqual([]);
    expect(commands).toEqual([
      { name: "train", index: 0, line: 1, raw: "/train", assignments: [], positionals: [], flags: {} },
    ]);
  });

  it("reads key=value overrides in order, with quotes keeping blanks", () => {
    const [train] = parseSlashCommands('/train train.learning_rate=0.05  model="random forest"').commands;
    expect(train?.assignments).toEqual([
      { key: "train.learning_rate", path: ["train", "learning_rate"], value: "0.05" },
      { key: "model", path: ["model"], value: "random forest" },
    ]);
  });

  it('reads a quoted key segment as one key: `"a.b"=1` is the key `a.b`, not `a` then `b`', () => {
    const [train] = parseSlashCommands('/train "a.b"=1 train."x.y"=2 a.b=3').commands;
    expect(train?.assignments.map((a) => [a.key, a.path, a.value])).toEqual([
      ['"a.b"', ["a.b"], "1"],
      ['train."x.y"', ["train", "x.y"], "2"],
      ["a.b", ["a", "b"], "3"],
    ]);
  });

  it("finds several commands in one comment, each with its index and line", () => {
    const parsed = parseSlashCommands("Looks good.\n/diff\nthen\n/train seed=3\r\n/help");
    expect(parsed.commands.map((c) => [c.name, c.index, c.line])).toEqual([
      ["diff", 0, 2],
      ["train", 1, 4],
      ["help", 2, 5],
    ]);
  });

  it("ignores commands inside fenced code, including longer and tilde fences", () => {
    const body = ["```", "/train", "```", "````md", "```", "/build", "````", "~~~", "/cancel", "~~~", "/help"].join("\n");
    expect(names(body)).toEqual(["help"]);
  });

  it("treats an unclosed fence as code to the end", () => {
    expect(names("```\n/train\n")).toEqual([]);
  });

  it("ignores quoted text, including nested quotes", () => {
    expect(names("> /train\n>> /build\n  > /cancel\n/diff")).toEqual(["diff"]);
  });

  it("ignores commands inside HTML comments", () => {
    expect(names("<!--\n/train\n-->\n<!-- /build -->\n/help")).toEqual(["help"]);
  });

  it("finds code, quotes and comments as the markdown parser does: in list items, spanning lines, with a fence inside a quote", () => {
    expect(names("- item\n  ```\n  /train\n  ```\n/help")).toEqual(["help"]);
    expect(names("text <!-- a comment\n/train\nstill the comment --> text\n/diff")).toEqual(["diff"]);
    expect(names("> ```\n> /train\n> ```\n/help")).toEqual(["help"]);
    // A fence that closes with a shorter run or another character is still open.
    expect(names("````\n```\n/train\n~~~~\n/build")).toEqual([]);
  });

  it("keeps a command on a line right after a quote (GitHub continues the quote, the writer meant a command)", () => {
    expect(names("> what do you think?\n/train")).toEqual(["train"]);
  });

  it("hostile: reads a comment nested 20,000 quotes deep in one pass, and the command after the quote counts", () => {
    expect(names(`${"> ".repeat(20_000)}x\n\n/train`)).toEqual(["train"]);
    // Past 100 levels the markers are text: 30,000 list items deep, then 30,000 blank lines, cost one check per level at most.
    expect(names(`${"1. ".repeat(30_000)}x${"\n".repeat(30_000)}/help`)).toEqual(["help"]);
  });

  it("only counts commands at the start of a line (up to 3 spaces of indent)", () => {
    expect(names("please /train\n   /help\n    /diff\n`/build`\n/usr/bin/env")).toEqual(["help"]);
  });

  it("is case-insensitive in the command name", () => {
    expect(names("/Train")).toEqual(["train"]);
  });

  it("reports unknown commands without stopping the known ones", () => {
    const parsed = parseSlashCommands("/release prod\n/help");
    expect(parsed.commands.map((c) => c.name)).toEqual(["help"]);
    expect(parsed.errors).toEqual([{ index: 0, line: 1, raw: "/release prod", message: "`/release` is not a command I know" }]);
  });

  it.each([
    ["/cancel now", "`/cancel` takes no argument `now`"],
    ["/train lr", "`/train` takes no argument `lr`, write overrides as `key=value`"],
    ["/train a=1 a=2", "`a` is given twice"],
    ["/train 'a=1", "a ' quote is not closed"],
    ["/help --verbose", "`/help` has no option `--verbose`"],
    ["/diff x=1", "`/diff` takes no `key=value` arguments, got `x=1`"],
    ["/train a..b=1", "`a..b` has an empty key segment"],
    ['/train a.b=1 "a".b=2', '`"a".b` is given twice'],
  ])("gives a usage error for %j", (body, message) => {
    const parsed = parseSlashCommands(body);
    expect(parsed.commands).toEqual([]);
    expect(parsed.errors.map((e) => e.message)).toEqual([message]);
    expect(parsed.errors[0]?.command).toBeDefined();
  });

  it("accepts image names for /build", () => {
    expect(parseSlashCommands("/build training inference").commands[0]?.positionals).toEqual(["training", "inference"]);
  });

  it.each(["", "just text", "a / b", "/", "//train", "/ train", "\u0000/train", "```\n", "<!--", "/-x"])(
    "finds nothing in junk %j",
    (body) => {
      const parsed = parseSlashCommands(body);
      expect(parsed.commands).toEqual([]);
      expect(parsed.errors).toEqual([]);
    },
  );
});
