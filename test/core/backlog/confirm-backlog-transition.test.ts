import { describe, expect, it } from "vitest";
import { confirmBacklogTransition } from "../../../src/core/backlog/confirm-backlog-transition.js";
import { decideBacklogAction } from "../../../src/core/backlog/decide-backlog-action.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";

const config = { close_when_done: true, reopen_when_unticked: true };
const allDone = "- [x] 1.1 a\n- [-] 1.2 b\n";
const oneOpen = "- [x] 1.1 a\n- [ ] 1.2 b\n";
const twoOpen = "- [ ] 1.1 a\n- [ ] 1.2 b\n";

function confirm(params: { body: string; state: "open" | "closed"; before: string | null; senderIsBot?: boolean }) {
  const decision = decideBacklogAction({ backlog: parseBacklog(params.body), issue: { state: params.state, stateReason: params.state === "closed" ? "completed" : null }, config });
  return confirmBacklogTransition({ decision, before: params.before === null ? null : parseBacklog(params.before), senderIsBot: params.senderIsBot ?? false });
}

describe("confirmBacklogTransition", () => {
  it("closes on the edit that ticks the last open item, and on events that are not edits", () => {
    expect(confirm({ body: allDone, state: "open", before: oneOpen })).toMatchObject({ action: "close" });
    expect(confirm({ body: allDone, state: "open", before: "No checklist yet." })).toMatchObject({ action: "close" });
    expect(confirm({ body: allDone, state: "open", before: null })).toMatchObject({ action: "close" });
  });

  it("does not close again after a person reopened a finished backlog and edited something else", () => {
    expect(confirm({ body: `${allDone}\nNotes.`, state: "open", before: allDone })).toMatchObject({ action: "none", reason: "not-changed-by-edit" });
  });

  it("reopens when an edit makes an item open again, not when an issue closed with open items gets another one", () => {
    expect(confirm({ body: oneOpen, state: "closed", before: allDone })).toMatchObject({ action: "reopen" });
    expect(confirm({ body: twoOpen, state: "closed", before: oneOpen })).toMatchObject({ action: "none", reason: "not-changed-by-edit" });
  });

  it("never reopens for a bot, but lets a bot's tick close the issue", () => {
    expect(confirm({ body: oneOpen, state: "closed", before: allDone, senderIsBot: true })).toMatchObject({ action: "none", reason: "bot-edit" });
    expect(confirm({ body: oneOpen, state: "closed", before: null, senderIsBot: true })).toMatchObject({ action: "none", reason: "bot-edit" });
    expect(confirm({ body: allDone, state: "open", before: oneOpen, senderIsBot: true })).toMatchObject({ action: "close" });
  });

  it("passes a decision to do nothing through unchanged", () => {
    expect(confirm({ body: oneOpen, state: "open", before: allDone })).toMatchObject({ action: "none", reason: "in-step" });
  });
});
