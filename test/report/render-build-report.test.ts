import { describe, expect, it } from "vitest";
import { renderBuildReport } from "../../src/report/build/render-build-report.js";

const job = (headRef: string) => ({ state: "succeeded" as const, reason: null, headSha: "c0ffee".padEnd(40, "0"), requestedBy: "octocat", pr: null, headRef });

describe("renderBuildReport", () => {
  it("names the branch of a push build in a code span", () => {
    expect(renderBuildReport({ job: job("main"), outcomes: [] }).summary.split("\n")[0]).toBe("**Built `c0ffee0`** on `main`, requested by @octocat.");
  });

  it("keeps a hostile branch name inside its code span: a backtick cannot end it early, so no markup or mention escapes", () => {
    const first = renderBuildReport({ job: job("x`<img src=x onerror=alert(1)>`@admin[y](https://evil.example)"), outcomes: [] }).summary.split("\n")[0];
    expect(first).toBe("**Built `c0ffee0`** on ``x`<img src=x onerror=alert(1)>`@admin[y](https://evil.example)``, requested by @octocat.");
    const hostile = renderBuildReport({ job: job("``a"), outcomes: [] }).summary.split("\n")[0];
    expect(hostile).toBe("**Built `c0ffee0`** on ``` ``a ```, requested by @octocat.");
  });

  it("titles a failed build with the first sentence of its reason; the summary keeps the whole reason", () => {
    const reason = "The image could not be built because the registry refused the push. Ask the operator to check MLOPS_REGISTRY_PASSWORD, then run /build again.";
    const report = renderBuildReport({ job: { ...job("main"), state: "failed", reason }, outcomes: [] });
    expect(report.title).toBe("Build failed: The image could not be built because the registry refused the push");
    expect(report.summary).toContain(reason);
    const long = "x".repeat(500);
    const clipped = renderBuildReport({ job: { ...job("main"), state: "failed", reason: long }, outcomes: [] }).title;
    expect(clipped).toBe(`Build failed: ${"x".repeat(119)}…`);
  });
});
