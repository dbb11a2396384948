import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/example-repo.js";

/** Our own lint of the Dockerfiles (no hadolint here): the rules the images issue asks for. */
interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly line: number;
}

function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const start = i + 1;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start });
  }
  return out;
}

const dockerfiles = readdirSync(path.join(ROOT, "docker"))
  .map((name) => ({ name, file: path.join(ROOT, "docker", name, "Dockerfile") }))
  .filter((d) => existsSync(d.file));
const servers = new Set(["bot", "inference", "mlflow"]);

describe.each(dockerfiles)("docker/$name/Dockerfile", ({ file }) => {
  const instructions = parseDockerfile(readFileSync(file, "utf8"));
  const args = new Map(instructions.filter((i) => i.op === "ARG").map((i) => i.args.split("=") as [string, string | undefined]));
  const froms = instructions.filter((i) => i.op === "FROM");
  const finalStage = instructions.slice(instructions.lastIndexOf(froms.at(-1)!));

  it("takes every base image from a build argument whose default is pinned (a tag, not latest)", () => {
    const stages = new Set<string>();
    for (const from of froms) {
      const [image, , alias] = from.args.split(/\s+/);
      if (stages.has(image!)) continue;
      const arg = /^\$\{?(\w+)\}?$/.exec(image!)?.[1];
      expect(arg, `line ${from.line}: FROM ${image} should be a build argument`).toBeDefined();
      const value = args.get(arg!);
      expect(value, `ARG ${arg} needs a default`).toBeDefined();
      expect(value!, `ARG ${arg}=${value} must be pinned`).toMatch(/(:[\w.-]+|@sha256:[0-9a-f]{64})$/);
      expect(value!).not.toMatch(/:latest$/);
      if (alias) stages.add(alias);
    }
  });

  it("runs as a non-root user", () => {
    const user = finalStage.filter((i) => i.op === "USER").at(-1);
    expect(user, "the final stage must set USER").toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it("carries the OCI revision and source labels", () => {
    const labels = finalStage.filter((i) => i.op === "LABEL").map((i) => i.args).join(" ");
    expect(labels).toContain("org.opencontainers.image.revision=");
    expect(labels).toContain("org.opencontainers.image.source=");
  });

  it("copies only files that exist in the repository, and fetches nothing by URL", () => {
    for (const copy of instructions.filter((i) => i.op === "COPY" && !i.args.includes("--from="))) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      for (const source of parts.slice(0, -1)) {
        expect(existsSync(path.join(ROOT, source)), `line ${copy.line}: COPY ${source} does not exist`).toBe(true);
      }
    }
    expect(instructions.some((i) => i.op === "ADD" && /https?:\/\//.test(i.args))).toBe(false);
    expect(instructions.some((i) => i.op === "RUN" && /(curl|wget)[^|]*\|\s*(ba)?sh/.test(i.args))).toBe(false);
  });
});

describe.each(dockerfiles.filter((d) => servers.has(d.name)))("docker/$name/Dockerfile (a server)", ({ file }) => {
  it("has a health check", () => {
    const instructions = parseDockerfile(readFileSync(file, "utf8"));
    const finalStage = instructions.slice(instructions.findLastIndex((i) => i.op === "FROM"));
    expect(finalStage.some((i) => i.op === "HEALTHCHECK" && !/^NONE$/i.test(i.args))).toBe(true);
  });
});

it("lints the four images the project ships", () => {
  expect(dockerfiles.map((d) => d.name).sort()).toEqual(["bot", "inference", "mlflow", "training"]);
});
