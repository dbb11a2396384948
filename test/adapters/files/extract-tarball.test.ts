import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { extractTarball } from "../../../src/adapters/files/extract-tarball.js";
import { tempDir } from "../../helpers/temp-dir.js";

const LIMITS = { perFileBytes: 1000, totalBytes: 5000 };

/** A hostile tarball made by Python's tarfile (GNU tar will not write some of these names). */
function hostileTarball(dir: string): Buffer {
  const file = path.join(dir, "evil.tar.gz");
  const script = `
import io, tarfile, sys
def add(t, name, data=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name); info.type = kind; info.linkname = link; info.size = len(data) if kind == tarfile.REGTYPE else 0
    t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT) as t:
    add(t, "ml/", kind=tarfile.DIRTYPE)
    add(t, "ml/params.yaml", b"lr: 0.1\\n")
    add(t, "ml/" + "long-" * 40 + ".txt", b"long name")
    add(t, "ml/link", kind=tarfile.SYMTYPE, link="/etc")
    add(t, "ml/link/passwd", b"written through the link")
    add(t, "ml/hard", kind=tarfile.LNKTYPE, link="/etc/passwd")
    add(t, "/tmp/absolute.txt", b"x")
    add(t, "../up.txt", b"x")
    add(t, "ml/../../up2.txt", b"x")
    add(t, "ml/fifo", kind=tarfile.FIFOTYPE)
    add(t, "ml/big.bin", b"0" * 2000)
`;
  execFileSync("python3", ["-c", script, file]);
  return readFileSync(file);
}

describe("extractTarball", () => {
  it("extracts regular files and folders, and refuses links, absolute names, '..', FIFOs and oversized files, each with a note", async () => {
    const dir = tempDir();
    const dest = path.join(dir, "dest");
    mkdirSync(dest);
    const { files, notes } = await extractTarball(hostileTarball(dir), dest, LIMITS);
    expect(files).toBe(3);
    expect(readFileSync(path.join(dest, "ml/params.yaml"), "utf8")).toBe("lr: 0.1\n");
    expect(readFileSync(path.join(dest, "ml", `${"long-".repeat(40)}.txt`), "utf8")).toBe("long name");
    expect(readdirSync(path.join(dest, "ml")).sort()).toEqual([`${"long-".repeat(40)}.txt`, "link", "params.yaml"].sort());
    // The refused link left no link: the file "through" it landed in a real folder of dest.
    expect(readFileSync(path.join(dest, "ml/link/passwd"), "utf8")).toBe("written through the link");
    expect(readFileSync("/etc/passwd", "utf8")).not.toContain("written through the link");
    expect(existsSync(path.join(dir, "up.txt"))).toBe(false);
    expect(notes).toEqual([
      "`ml/link` is a symbolic link (to `/etc`): not extracted",
      "`ml/hard` is a hard link (to `/etc/passwd`): not extracted",
      "`/tmp/absolute.txt` is an absolute path: not extracted",
      '`../up.txt` goes up with "..": not extracted',
      '`ml/../../up2.txt` goes up with "..": not extracted',
      "`ml/fifo` is not a regular file: not extracted",
      "`ml/big.bin` is 2000 bytes, over the limit (1000 per file, 5000 in all): not extracted",
    ]);
  });

  it("reads what GNU tar writes, and says so when the archive is not one", async () => {
    const dir = tempDir();
    const src = path.join(dir, "src");
    mkdirSync(path.join(src, "a"), { recursive: true });
    writeFileSync(path.join(src, "a", "b.txt"), "hello");
    execFileSync("tar", ["-czf", path.join(dir, "t.tar.gz"), "-C", src, "."]);
    const dest = path.join(dir, "dest");
    mkdirSync(dest);
    expect(await extractTarball(readFileSync(path.join(dir, "t.tar.gz")), dest, LIMITS)).toEqual({ files: 1, notes: [] });
    expect(readFileSync(path.join(dest, "a/b.txt"), "utf8")).toBe("hello");
    expect((await extractTarball(Buffer.from("not a tarball"), dest, LIMITS)).notes[0]).toMatch(/^the archive is not gzip/);
  });

  it("extracts nothing from a damaged archive and names the damage: a bad checksum, a member cut short, a header cut in two", async () => {
    const dir = tempDir();
    const src = path.join(dir, "src");
    mkdirSync(src);
    writeFileSync(path.join(src, "a.txt"), "a".repeat(600));
    writeFileSync(path.join(src, "b.txt"), "b");
    execFileSync("tar", ["-czf", path.join(dir, "t.tar.gz"), "-C", src, "a.txt", "b.txt"]);
    const tar = gunzipSync(readFileSync(path.join(dir, "t.tar.gz")));
    const badChecksum = Buffer.from(tar);
    badChecksum[0] = "z".charCodeAt(0); // the first name changes, its checksum does not
    const damaged = { "bad checksum": badChecksum, "member cut short": tar.subarray(0, 1024), "header cut in two": tar.subarray(0, 1536 + 100) };
    for (const [what, bytes] of Object.entries(damaged)) {
      const dest = path.join(dir, what.replace(/ /g, "-"));
      mkdirSync(dest);
      const { files, notes } = await extractTarball(gzipSync(bytes), dest, LIMITS);
      expect({ what, files, notes: notes.length, left: readdirSync(dest) }).toEqual({ what, files: 0, notes: 1, left: [] });
      expect(notes[0], what).toMatch(/^the archive cannot be read: .+; nothing was extracted$/);
    }
  });
});
