import { describe, expect, it } from "vitest";
import { describeStorageSchemes, parseStorageUrl } from "../../../src/core/storage/parse-storage-url.js";

describe("parseStorageUrl", () => {
  it("parses each scheme it is told to accept into its location", () => {
    expect(parseStorageUrl("sqlite", ["sqlite", "path"])).toEqual({ ok: true, value: { kind: "sqlite" } });
    expect(parseStorageUrl("sqlite", ["path"])).toEqual({ ok: true, value: { kind: "folder", dir: "sqlite" } });
    expect(parseStorageUrl("/srv/runs", ["path"])).toEqual({ ok: true, value: { kind: "folder", dir: "/srv/runs" } });
    expect(parseStorageUrl("file:///srv/a%20b", ["file"])).toEqual({ ok: true, value: { kind: "folder", dir: "/srv/a b" } });
    expect(parseStorageUrl("gs://team-bot/jobs/", ["gs"])).toEqual({ ok: true, value: { kind: "gcs", url: "gs://team-bot/jobs/", location: { bucket: "team-bot", prefix: "jobs" } } });
    const postgres = parseStorageUrl("postgresql://bot:pw@db/mlops", ["postgres"]);
    expect(postgres.ok && postgres.value).toMatchObject({ kind: "postgres", postgres: { host: "db", database: "mlops", hasPassword: true } });
  });

  it("refuses a scheme it does not accept, naming the accepted forms and never quoting the URL", () => {
    expect(parseStorageUrl("s3://bucket/a", ["path", "file", "gs"])).toEqual({
      ok: false,
      error: "`s3:` URLs are not supported here; use a folder (`/srv/store`), `file:///srv/store` or `gs://bucket/prefix`",
    });
    const secret = parseStorageUrl("postgres://bot:hunter2@db/mlops", ["path", "gs"]);
    expect(secret).toEqual({ ok: false, error: "`postgres:` URLs are not supported here; use a folder (`/srv/store`) or `gs://bucket/prefix`" });
    expect(parseStorageUrl("/srv/models", ["gs"])).toEqual({ ok: false, error: "a folder is not supported here; use `gs://bucket/prefix`" });
  });

  it("says what is wrong with a URL of an accepted scheme", () => {
    expect(parseStorageUrl("gs://Team/jobs", ["gs"])).toEqual({ ok: false, error: "`Team` in `gs://Team/jobs` is not a bucket name (lowercase letters, digits, -, _ and .)" });
    expect(parseStorageUrl("file://other-host/srv", ["file"])).toEqual({
      ok: false,
      error: "`file://other-host/srv` names the host `other-host`; a file:// URL must name a folder on this machine, like file:///srv/store",
    });
    expect(parseStorageUrl("file:///srv/%E0%A4%A", ["file"])).toEqual({ ok: false, error: "`file:///srv/%E0%A4%A` has a broken %-escape; write it as file:///srv/store" });
  });

  it("describes the accepted forms in one order", () => {
    expect(describeStorageSchemes(["path", "gs", "sqlite", "postgres"])).toBe("a folder (`/srv/store`), `sqlite`, `postgres://user:password@host:5432/database` or `gs://bucket/prefix`");
  });
});
