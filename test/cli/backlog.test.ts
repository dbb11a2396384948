import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { backlogCommand } from "../../src/cli/commands/backlog.js";
import { cliCommands } from "../../src/cli/commands/index.js";
import { runCli } from "../../src/cli/run-cli.js";

const fixtures = fileURLToPath(new URL("../fixtures/backlogs/", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "mlops-bot-backlog-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function backlog(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await backlogCommand.run(args, { cwd: fixtures, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("mlops-bot backlog", () => {
  it("is registered and reachable through the CLI dispatcher", async () => {
    expect(cliCommands.map((c) => c.name)).toContain("backlog");
    let out = "";
    const code = await runCli({ argv: ["backlog", "plain-sections.md"], commands: cliCommands, io: { cwd: fixtures, env: {}, out: (t) => (out += t), err: () => undefined } });
    expect(code).toBe(0);
    expect(out).toContain("Backlog progress: plain-sections.md");
  });

  it("prints a plain-text table for the terminal", async () => {
    const { code, out, err } = await backlog("gcp-terraform.md");
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toMatchInlineSnapshot(`
      "Backlog progress: gcp-terraform.md

        Done  Skipped  Open  Progress         Phase
           4        0     0  ▓▓▓▓▓▓▓▓▓▓ 100%  ✅ Phase 0: Project Setup
           5        0     0  ▓▓▓▓▓▓▓▓▓▓ 100%  ✅ Phase 1: Data Pipeline
           5        3     1  ▓▓▓▓▓▓▓▓░░ 83%   🔄 Phase 2: GCP & Terraform Infrastructure
           0        0     3  ░░░░░░░░░░ 0%    ⏳ Phase 3: Training Service
          14        3     4  ▓▓▓▓▓▓▓░░░ 77%   Overall (21 items)
      "
    `);
  });

  it("prints status notes and warnings below the table", async () => {
    const file = path.join(scratch, "notes.md");
    writeFileSync(file, "## Phase 1: Setup ✅\n- [x] 1.1 a\n- [ ] 1.2 b\n- [🤔] 1.3 c\n");
    const { code, out } = await backlog(file);
    expect(code).toBe(0);
    expect(out.replace(file, "notes.md")).toMatchInlineSnapshot(`
      "Backlog progress: notes.md

        Done  Skipped  Open  Progress         Phase
           1        0     2  ▓▓▓░░░░░░░ 33%   🔄 Phase 1: Setup
           1        0     2  ▓▓▓░░░░░░░ 33%   Overall (3 items)

      Status notes:
        line 1: Phase 1: Setup is marked ✅ done, but 2 of 3 items are open: 1.2, 1.3.

      Warnings:
        line 4: 1 item uses the mark [🤔], which is neither built in nor in the issue's legend; counted as open (line 4).
      "
    `);
  });

  it("prints the sticky comment with --markdown", async () => {
    const { code, out } = await backlog("inline-legend.md", "--markdown", "--issue", "42");
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog -->
      ### Backlog progress

      **Overall:** \`▓▓▓▓▓░░░░░ 50%\` · 2 done · 1 skipped · 2 open (5 items)

      | Phase | Done | Skipped | Open | Progress |
      | :-- | --: | --: | --: | :-- |
      | ✅ Stage 1: Feature store | 2 | 1 | 0 | \`▓▓▓▓▓▓▓▓▓▓ 100%\` |
      | ⏳ Stage 2: Monitoring | 0 | 0 | 2 | \`░░░░░░░░░░ 0%\` |

      **Status notes**
      - Stage 2: Monitoring is marked 🧊 skipped, but 2 of 2 items are open (2.1, 2.2); mark them \\[⏭️\\] or \\[-\\] to count them as skipped. (line 9)

      <details><summary>Open items (2)</summary>

      **Stage 2: Monitoring**
      - \`2.1\` Drift metrics
      - \`2.2\` Alerting

      </details>

      <sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says \`Completes #42 2.6\` ticks item 2.6.</sub>
      "
    `);
  });

  it("prints JSON with --json", async () => {
    const { code, out } = await backlog("--json", "duplicate-numbers.crlf.md");
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.source).toBe("duplicate-numbers.crlf.md");
    expect(json.overall).toEqual({ total: 7, done: 2, skipped: 0, open: 5, percent: 28 });
    expect(json.phases.map((p: { title: string; done: number; open: number; statuses: unknown[] }) => [p.title, p.done, p.open, p.statuses.length])).toEqual([
      ["Phase 0: Access", 2, 2, 1],
      ["Phase 1: Data", 0, 3, 1],
    ]);
    expect(json.items[0]).toEqual({ line: 4, state: "done", mark: "x", role: "HUMAN", number: "0.1", title: "Create the GCP project", phase: 0 });
    expect(json.mismatches).toEqual([]);
  });

  it("says when a file has no checklist", async () => {
    const file = path.join(scratch, "empty.md");
    writeFileSync(file, "# Nothing here\n");
    expect(await backlog(file)).toEqual({ code: 0, out: `${file}: no checklist items found.\n`, err: "" });
  });

  it("names the file it cannot read", async () => {
    expect(await backlog("missing.md")).toEqual({ code: 1, out: "", err: 'mlops-bot backlog: cannot read "missing.md": no such file\n' });
    expect(await backlog(scratch)).toEqual({ code: 1, out: "", err: `mlops-bot backlog: cannot read ${JSON.stringify(scratch)}: it is a directory, not a file\n` });
  });

  // root reads any file whatever its mode, so this case can only be checked as another user.
  it.skipIf(process.getuid?.() === 0)("names a file it may not read", async () => {
    const file = path.join(scratch, "secret.md");
    writeFileSync(file, "- [ ] a\n");
    chmodSync(file, 0o000);
    expect(await backlog(file)).toMatchObject({ code: 1, err: `mlops-bot backlog: cannot read ${JSON.stringify(file)}: permission denied\n` });
  });

  it.each([
    [[], "missing FILE: the markdown file to read"],
    [["a.md", "b.md"], "one FILE at a time, got 2: a.md, b.md"],
    [["a.md", "--json", "--markdown"], "choose one of --markdown and --json"],
    [["a.md", "--verbose"], 'unknown option "--verbose"'],
    [["a.md", "--issue", "x"], '--issue needs an issue number, got "x"'],
    [["a.md", "--issue"], "--issue needs an issue number, got nothing"],
  ])("rejects %j with usage", async (args, message) => {
    const { code, out, err } = await backlog(...args);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.startsWith(`mlops-bot backlog: ${message}\n\nUsage: mlops-bot backlog FILE`)).toBe(true);
  });

  it("reads a file named after --", async () => {
    const file = path.join(scratch, "--odd.md");
    writeFileSync(file, "- [x] a\n");
    const { code, out } = await backlog("--", file);
    expect(code).toBe(0);
    expect(out).toContain("Overall (1 item)");
  });
});
