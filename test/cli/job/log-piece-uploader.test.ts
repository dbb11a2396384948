import { describe, expect, it } from "vitest";
import { LOG_PIECES, logPieceKey } from "../../../src/adapters/runners/cloud-run-log-pieces.js";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { LogPieceUploader } from "../../../src/cli/job/log-piece-uploader.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("LogPieceUploader (the job agent's live log)", () => {
  it("numbers pieces without gaps, keeps a piece whose upload failed for the next flush, and never makes one over the limit", async () => {
    const store = new FsArtifactStore(tempDir());
    let failNext = false;
    const flaky = Object.assign(Object.create(store) as FsArtifactStore, {
      put: (key: string, data: string | Uint8Array) => (failNext ? ((failNext = false), Promise.reject(new Error("503 from storage"))) : store.put(key, data)),
    });
    const errors: string[] = [];
    const uploader = new LogPieceUploader({ store: flaky, flushMs: 3_600_000, onError: (m) => errors.push(m) });
    await uploader.write(Buffer.from("a\n"));
    await uploader.flush();
    failNext = true;
    await uploader.write(Buffer.from("b\n"));
    await uploader.flush(); // fails: kept
    await uploader.write(Buffer.from("c\n"));
    await uploader.write(Buffer.alloc(LOG_PIECES.maxPieceBytes + 5, "x")); // over flushBytes: flushed now, in two pieces
    expect(await uploader.close()).toBe(3);
    expect(errors).toEqual([]);
    expect(await store.list("log")).toEqual([1, 2, 3].map(logPieceKey));
    expect((await store.get(logPieceKey(1)))?.toString()).toBe("a\n");
    const second = (await store.get(logPieceKey(2)))!;
    expect(second.length).toBe(LOG_PIECES.maxPieceBytes);
    expect(second.subarray(0, 4).toString()).toBe("b\nc\n");
    expect((await store.get(logPieceKey(3)))?.toString()).toBe("x".repeat(4 + 5)); // the rest, in order
  });
});
