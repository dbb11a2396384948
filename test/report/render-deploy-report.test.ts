import { describe, expect, it } from "vitest";
import type { DeployJob } from "../../src/core/jobs/job.js";
import { renderDeployReport } from "../../src/report/deploy/render-deploy-report.js";
import { newDeployInput } from "../helpers/new-job.js";

const SERVICE = "projects/ml-project/locations/europe-west1/services/mlops-bot-inference";

function job(overrides: Partial<Pick<DeployJob, "state" | "reason" | "input" | "result">> = {}): Pick<DeployJob, "state" | "reason" | "headSha" | "pr" | "requestedBy" | "input" | "result"> {
  return {
    state: "succeeded",
    reason: null,
    headSha: "c0ffee0000000000000000000000000000000001",
    pr: 7,
    requestedBy: "octocat",
    input: newDeployInput(),
    result: {
      service: SERVICE,
      modelUri: "gs://ml-models/mlops-bot-inference/c0ffee0-1a2b3c4d/model.onnx",
      lineageUri: "gs://ml-models/mlops-bot-inference/c0ffee0-1a2b3c4d/lineage.json",
      revision: "mlops-bot-inference-c0ffee0-1a2b3c4d",
      previousRevision: "mlops-bot-inference-00001-abc",
      url: "https://mlops-bot-inference-abc123-ew.a.run.app",
    },
    ...overrides,
  };
}

describe("renderDeployReport", () => {
  it("shows the revision, what served before, the model, metrics, gates and the rollback command", () => {
    const report = renderDeployReport(job());
    expect(report.conclusion).toBe("success");
    expect(report.title).toBe("Serving c0ffee0 as mlops-bot-inference-c0ffee0-1a2b3c4d");
    expect(report.summary).toMatchInlineSnapshot(`
      "**Promoted the model of \`c0ffee0\`** (#7): \`/deploy\` from @octocat.

      | | |
      | --- | --- |
      | Service | \`projects/ml-project/locations/europe-west1/services/mlops-bot-inference\` |
      | Revision | \`mlops-bot-inference-c0ffee0-1a2b3c4d\` (100% of traffic) |
      | Served before | \`mlops-bot-inference-00001-abc\` |
      | URL | https://mlops-bot-inference-abc123-ew.a.run.app |
      | Model | \`gs://ml-models/mlops-bot-inference/c0ffee0-1a2b3c4d/model.onnx\` (1.2 kB, sha256 \`aaaaaaaaaaaa…\`) |
      | Lineage | \`gs://ml-models/mlops-bot-inference/c0ffee0-1a2b3c4d/lineage.json\` |
      | Trained by | job \`job-1\` on \`c0ffee0\` |

      ### Metrics

      | File | Metric | Value |
      | --- | --- | --- |
      | \`ml/metrics.json\` | accuracy | 0.9 |

      ### Gates

      - ✅ accuracy 0.9 ≥ min 0.85

      ### Rollback

      The revision that served before still exists; to send all traffic back to it:

      \`\`\`sh
      gcloud run services update-traffic mlops-bot-inference --region europe-west1 --project ml-project --to-revisions mlops-bot-inference-00001-abc=100
      \`\`\`

      A later promotion moves traffic to its own revision again."
    `);
  });

  it("fails with the reason and no rollback when the revision was not made ready", () => {
    const failed = job({
      state: "failed",
      reason: "The revision x did not become ready (probe failed); traffic stays on the previous revision.",
      result: { ...job().result!, error: "The revision x did not become ready (probe failed); traffic stays on the previous revision." },
    });
    const report = renderDeployReport(failed);
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("Not deployed");
    expect(report.summary).toContain("❌ The revision x did not become ready (probe failed); traffic stays on the previous revision.");
    expect(report.summary).not.toContain("### Rollback");
  });

  it("neutralises metric keys and values a pull request's pipeline wrote (mentions, links, table breaks)", () => {
    const input = { ...newDeployInput(), run: { ...newDeployInput().run, metrics: [{ file: "ml/metrics.json", key: "@org/admins | [win](https://evil.example)", value: "1\n| forged | row |" }] } };
    const report = renderDeployReport(job({ input }));
    const row = report.summary.split("\n").find((l) => l.startsWith("| `ml/metrics.json`"))!;
    expect(row).not.toContain("@org");
    expect(row).not.toContain("](https://evil.example)");
    expect(row.split(/(?<!\\)\|/)).toHaveLength(5);
    expect(report.summary).not.toContain("\n| forged");
  });
});
