import { describe, expect, it } from "vitest";
import { checkCloudRunExchange } from "../helpers/contract/cloud-run-contract.js";

const JOB = "projects/p/locations/europe-west1/jobs/train";
const run = (requestBody: unknown, status = 200, responseBody: unknown = { name: "projects/p/locations/europe-west1/operations/1", done: false }) =>
  checkCloudRunExchange({ method: "POST", path: `/v2/${JOB}:run?$alt=json%3Benum-encoding%3Dint`, requestBody, status, responseBody });

describe("the Cloud Run Admin API v2 contract (from @google-cloud/run's protos)", () => {
  it("accepts a jobs.run with container overrides and an Operation whose metadata is an Execution", () => {
    const body = { overrides: { containerOverrides: [{ args: ["mlops-bot", "job"], env: [{ name: "A", value: "b" }] }], timeout: "3600s" } };
    const operation = { name: "projects/p/locations/l/operations/1", metadata: { "@type": "type.googleapis.com/google.cloud.run.v2.Execution", name: `${JOB}/executions/e1`, taskCount: 1 }, done: false };
    expect(run(body, 200, operation)).toEqual([]);
  });

  it("names a field the API does not have, a wrong type and an unknown enum value", () => {
    expect(run({ overrides: { containerOverride: [] } })).toEqual([
      `POST /v2/${JOB}:run (Jobs.RunJob): request body.overrides has "containerOverride", which Overrides does not have`,
    ]);
    expect(run({ overrides: { taskCount: "two" } })[0]).toContain("request body.overrides.taskCount must be an integer");
    const execution = { name: `${JOB}/executions/e1`, conditions: [{ type: "Completed", state: "CONDITION_DONE" }] };
    expect(checkCloudRunExchange({ method: "GET", path: `/v2/${JOB}/executions/e1`, requestBody: undefined, status: 200, responseBody: execution })).toEqual([
      `GET /v2/${JOB}/executions/e1 (Executions.GetExecution): response.conditions[0].state = "CONDITION_DONE" is not a value of State`,
    ]);
  });

  it("wants Google's error envelope on an error, and knows no other paths", () => {
    expect(checkCloudRunExchange({ method: "GET", path: `/v2/${JOB}/executions/e9`, requestBody: undefined, status: 404, responseBody: { message: "nope" } })[0]).toContain(
      "must carry Google's error envelope",
    );
    expect(checkCloudRunExchange({ method: "POST", path: `/v2/${JOB}:start`, requestBody: {}, status: 200, responseBody: {} })).toEqual([
      `POST /v2/${JOB}:start: the Cloud Run Admin API v2 has no such method`,
    ]);
  });
});
