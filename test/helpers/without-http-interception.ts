import nock from "nock";
import { beforeAll } from "vitest";

/**
 * For a test file that talks only to the test services' Docker engine (no fake of GitHub or
 * Cloud Run): turns nock's interception of HTTP off for the file, and with it the no-network guard
 * of setup-nock.ts. Every request through nock's interceptor (@mswjs/interceptors) goes through
 * its mock socket; concurrent requests to the engine's unix socket then failed now and then with
 * `write EPIPE` under load (mswjs/interceptors#760, open). Two Docker test files at once on two
 * busy cores: 3 and 5 of 8 runs failed so; with this, none of 8.
 */
export function withoutHttpInterception(): void {
  beforeAll(() => {
    nock.restore();
  });
}
