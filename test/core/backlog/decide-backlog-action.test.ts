import { describe, expect, it } from "vitest";
import { decideBacklogAction } from "../../../src/core/backlog/decide-backlog-action.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";

const on = { close_when_done: true, reopen_when_unticked: true };
const decide = (body: string, issue: Parameters<typeof decideBacklogAction>[0]["issue"], config = on) =>
  decideBacklogAction({ backlog: parseBacklog(body), issue, config });
const allDone = "- [x] 1.1 a\n- [⏭️] 1.2 b\n- [ ] ~~1.3 c~~\n";
const oneOpen = "- [x] 1.1 a\n- [ ] [AI] 1.2 b\n- [-] 1.3 c\n";

describe("decideBacklogAction", () => {
  it("closes an open issue as completed when every item is done or skipped", () => {
    expect(decide(allDone, { state: "open" })).toEqual({
      action: "close",
      stateReason: "completed",
      counts: { total: 3, done: 1, skipped: 2, open: 0, percent: 100 },
    });
  });

  it("reopens a closed issue with an open item, naming the open items", () => {
    const decision = decide(oneOpen, { state: "closed", stateReason: "completed" });
    expect(decision.action).toBe("reopen");
    expect(decision.action === "reopen" && decision.openItems.map((i) => `${i.role} ${i.number}`)).toEqual(["AI 1.2"]);
  });

  it("does nothing when the issue is already in step with its items", () => {
    expect(decide(oneOpen, { state: "open" })).toMatchObject({ action: "none", reason: "in-step" });
    expect(decide(allDone, { state: "closed", stateReason: "completed" })).toMatchObject({ action: "none", reason: "in-step" });
  });

  it("never touches an issue without items", () => {
    expect(decide("Just prose.", { state: "open" })).toMatchObject({ action: "none", reason: "no-items" });
    expect(decide("Just prose.", { state: "closed" })).toMatchObject({ action: "none", reason: "no-items" });
  });

  it("follows close_when_done and reopen_when_unticked", () => {
    expect(decide(allDone, { state: "open" }, { ...on, close_when_done: false })).toMatchObject({ action: "none", reason: "close-disabled" });
    expect(decide(oneOpen, { state: "closed" }, { ...on, reopen_when_unticked: false })).toMatchObject({ action: "none", reason: "reopen-disabled" });
    expect(decide(oneOpen, { state: "closed" }, { ...on, close_when_done: false })).toMatchObject({ action: "reopen" });
  });

  it("leaves an issue closed as not planned or duplicate closed", () => {
    expect(decide(oneOpen, { state: "closed", stateReason: "not_planned" })).toMatchObject({ action: "none", reason: "closed-not-completed" });
    expect(decide(oneOpen, { state: "closed", stateReason: "duplicate" })).toMatchObject({ action: "none", reason: "closed-not-completed" });
  });

  it("counts an unknown mark as open, so it blocks closing", () => {
    expect(decide("- [x] a\n- [🤔] b\n", { state: "open" })).toMatchObject({ action: "none", reason: "in-step" });
  });
});
