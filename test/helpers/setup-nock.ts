import nock from "nock";
import { afterEach, beforeAll, expect } from "vitest";
import { installContractHook, takeContractProblems } from "./contract/nock-contract-hook.js";

// Every fake of GitHub's API (and Cloud Run's) is held to the published description: a request
// or a fake response that does not fit fails the test that made it.
installContractHook();

// Tests never touch the network: only loopback is allowed (servers we start ourselves).
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  const problems = takeContractProblems();
  expect(problems, "every API call and fake response must fit the API's published description").toEqual([]);
  expect(pending, "every nock scope must be consumed").toEqual([]);
});
