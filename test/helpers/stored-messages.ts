import type { Completed, LeasedMessage } from "../../src/ports/outbox.js";

/** The messages an `Outbox.complete` stored; throws (failing the test) when it lost a claim instead. */
export function storedMessages(done: Completed): LeasedMessage[] {
  if (done.status !== "written") throw new Error("the answer was not stored: a command's claim was lost");
  return done.messages;
}
