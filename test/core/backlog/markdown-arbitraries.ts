import fc from "fast-check";

/** Pieces that make markdown a backlog parser must survive: boxes, marks, bullets, fences, quotes, line endings. */
const fragments = [
  "- ", "* ", "+ ", "1. ", "2) ", "  ", "    ", "\t", "\n", "\r\n", "\r", "\n\n",
  "[ ]", "[x]", "[X]", "[⏭️]", "[⏭]", "[-]", "[~]", "[✅]", "[?]", "[]", "[", "]", "[ ] ", "[x] ",
  "~~", "~", "**", "_", "`", "```", "~~~", "> ", "<!--", "-->", "<details>", "</details>", "|", "---",
  "# ", "## ", "### ", "## Phase 1: ", "### [AI] ", "[HUMAN] ", "[AI] ", "2.6", "0.1", ": ", "Title",
  "✅", "🔄", "⏳", "📋", "⏭️", "**Status**: ", "Legend: ", "⏭️ = skipped", "[link](https://x.test)", "[ref]: https://x.test",
  "\uFEFF", "\u0000", "é", "👩‍💻", "\\", "&amp;", "<", ">",
];

/** Random markdown-ish text assembled from `fragments` (and some random characters). */
export const markdownish: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fragments) }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }) }), { maxLength: 80 })
  .map((parts) => parts.join(""));

export interface GeneratedItem {
  readonly mark: string;
  readonly state: "open" | "done" | "skipped";
  readonly role: string | null;
  readonly number: string;
  readonly depth: number;
}

const marks: ReadonlyArray<readonly [string, GeneratedItem["state"]]> = [
  [" ", "open"], ["x", "done"], ["X", "done"], ["⏭️", "skipped"], ["-", "skipped"], ["~", "skipped"], ["✅", "done"], ["🔄", "open"],
];
const words = fc.constantFrom("Create", "module", "Terraform", "the", "GKE", "config", "(Optional)", "data", "—", "set", "up", "[docs](https://x.test)", "`code`", "**bold**");

/** A well-formed backlog: phases, role sections, numbered items with known marks, nesting; LF or CRLF. */
export const generatedBacklog: fc.Arbitrary<{ body: string; items: GeneratedItem[] }> = fc
  .record({
    eol: fc.constantFrom("\n", "\r\n"),
    phases: fc.array(
      fc.record({
        emoji: fc.constantFrom("", " ✅", " 🔄", " ⏳"),
        sections: fc.array(
          fc.record({
            role: fc.constantFrom("AI", "HUMAN", null),
            items: fc.array(
              fc.record({
                mark: fc.constantFrom(...marks),
                tagged: fc.boolean(),
                depth: fc.nat({ max: 2 }),
                title: fc.array(words, { minLength: 1, maxLength: 5 }).map((w) => w.join(" ")),
              }),
              { maxLength: 5 },
            ),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ eol, phases }) => {
    const lines: string[] = ["# Backlog", ""];
    const items: GeneratedItem[] = [];
    phases.forEach((phase, p) => {
      lines.push(`## Phase ${p}: Work${phase.emoji}`, "");
      phase.sections.forEach((section, s) => {
        lines.push(`### ${section.role ? `[${section.role}] ` : ""}Section ${s}`, "");
        let depth = 0;
        const roles: Array<string | null> = [];
        section.items.forEach((item, i) => {
          depth = i === 0 ? 0 : Math.min(item.depth, depth + 1);
          const number = `${p}.${s}.${i}`;
          // A nested item without its own tag takes its parent item's role.
          const role = item.tagged ? "AI" : depth > 0 ? (roles[depth - 1] ?? null) : section.role;
          roles[depth] = role;
          lines.push(`${"  ".repeat(depth)}- [${item.mark[0]}] ${item.tagged ? "[AI] " : ""}${number}: ${item.title}`);
          items.push({ mark: item.mark[0], state: item.mark[1], role, number, depth });
        });
        lines.push("");
      });
    });
    return { body: lines.join(eol), items };
  });
