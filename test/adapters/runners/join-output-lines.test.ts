import { describe, expect, it } from "vitest";
import { joinOutputLines } from "../../../src/adapters/runners/join-output-lines.js";

function collect(maxHeldBytes?: number) {
  const writes: string[] = [];
  const lines = joinOutputLines((chunk) => writes.push(chunk.toString("utf8")), maxHeldBytes);
  const out = (text: string) => lines.stdout(Buffer.from(text));
  const err = (text: string) => lines.stderr(Buffer.from(text));
  return { writes, out, err, flush: () => lines.flush() };
}

describe("joinOutputLines", () => {
  it("keeps a stderr line written in pieces whole when a stdout line arrives between them (busybox sh's error)", () => {
    const { writes, out, err, flush } = collect();
    err("sh: ");
    out("BASE-WRITE denied: overwrite\n");
    err("can't create /base/entry: Read-only file system");
    err("\n");
    out("next\n");
    flush();
    expect(writes.join("")).toBe("BASE-WRITE denied: overwrite\nsh: can't create /base/entry: Read-only file system\nnext\n");
    expect(writes.every((w) => w.endsWith("\n"))).toBe(true);
  });

  it("passes whole lines at once and holds only the unfinished end of a chunk", () => {
    const { writes, out, flush } = collect();
    out("one\ntwo\nthr");
    expect(writes).toEqual(["one\ntwo\n"]);
    out("ee\nfour");
    expect(writes).toEqual(["one\ntwo\n", "three\n"]);
    flush();
    expect(writes).toEqual(["one\ntwo\n", "three\n", "four"]);
    flush();
    expect(writes).toHaveLength(3);
  });

  it("ends a line at a progress bar's carriage return, but keeps \\r\\n split across chunks together", () => {
    const { writes, err, out, flush } = collect();
    err("\r 10%|#");
    err("\r 20%|##");
    expect(writes).toEqual(["\r", " 10%|#\r"]);
    out("dos line\r");
    err("\r");
    out("\nunix line\n");
    flush();
    expect(writes.join("")).toBe("\r 10%|#\rdos line\r\nunix line\n 20%|##\r");
    expect(writes).toContain("dos line\r\nunix line\n");
  });

  it("passes a held carriage return on as a line end when something other than \\n follows it", () => {
    const { writes, out } = collect();
    out("50%\r");
    expect(writes).toEqual([]);
    out("60%");
    expect(writes).toEqual(["50%\r"]);
  });

  it("keeps multi-byte characters whole (lines end at ASCII bytes only)", () => {
    const writes: Buffer[] = [];
    const lines = joinOutputLines((chunk) => writes.push(chunk));
    const text = Buffer.from("naïve → ok\n");
    lines.stdout(text.subarray(0, 3)); // cuts "ï" in half
    lines.stderr(Buffer.from("err\n"));
    lines.stdout(text.subarray(3));
    expect(Buffer.concat(writes).toString("utf8")).toBe("err\nnaïve → ok\n");
  });

  it("passes on a line that never ends once it holds more than the limit (a hostile job printing byte by byte)", () => {
    const { writes, out, flush } = collect(8);
    for (const c of "abcdefghijkl") out(c);
    expect(writes).toEqual(["abcdefghi"]);
    flush();
    expect(writes.join("")).toBe("abcdefghijkl");
  });
});
