import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleBlock, README, readmeExample, renderExampleComment } from "./example-comment.js";

describe("README: what a reviewer sees", () => {
  it("quotes the sticky comment exactly as the bot renders it now (rerun `npx tsx test/docs/example-comment.ts --write` when the report changes)", async () => {
    const shown = readmeExample(readFileSync(README, "utf8"));
    expect(shown, "README.md lost its example-comment markers").toBeDefined();
    const comment = await renderExampleComment();
    expect(shown).toBe(exampleBlock(comment));
    // The example shows what the README promises: metrics, both plots base against head, the links.
    expect(shown).toContain("| ml/metrics.json | accuracy | 0.94 | 0.954 | 0.014 |");
    expect(shown!.match(/```mermaid\n/g)).toHaveLength(1);
    expect(shown!.match(/^ {2}line \[/gm)).toHaveLength(2);
    expect(shown).toContain("| **`0`** | **287** (+4) | 11 (−3) |");
    expect(shown).toMatch(/\[Job page\]\(https:\/\/bot\.example\.com\/jobs\/.*\) · MLflow: \[run\]/);
  });

  it("shows a screenshot of the job page that is in the repository", () => {
    const readme = readFileSync(README, "utf8");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images).toContain("docs/images/job-page.png");
    for (const image of images) expect(existsSync(path.join(path.dirname(README), image)), image).toBe(true);
  });
});
