import nock from "nock";
import { afterEach, beforeAll, expect } from "vitest";

// Tests never touch the network: only loopback is allowed (servers we start ourselves).
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, "every nock scope must be consumed").toEqual([]);
});
