import { randomUUID } from "node:crypto";
import type { File } from "@google-cloud/storage";
import type { z } from "zod";
import { readObject, statusOf } from "./gcs-objects.js";

/** A JSON object read back: its parsed value (`damaged` when it is not JSON or does not fit the schema) and its generation. */
export type Read<T> = { readonly value: T; readonly generation: string } | { readonly damaged: true; readonly generation: string };

/** Every versioned JSON object carries the id of the write that made it (see `writeJsonIf`). */
export interface Revised {
  readonly rev: string;
}

/** Reads a JSON object and parses it with `schema`; undefined when it is missing. */
export async function readJson<T>(file: File, schema: z.ZodType<T>): Promise<Read<T> | undefined> {
  const found = await readObject(file);
  if (!found) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(found.data.toString("utf8")));
    return parsed.success ? { value: parsed.data, generation: found.generation } : { damaged: true, generation: found.generation };
  } catch {
    return { damaged: true, generation: found.generation };
  }
}

/**
 * Writes `value` only if the object's generation is still `generation` (`"0"`: only if it does not
 * exist). True when this call wrote it: the client library retries a request that carries a
 * precondition, and a retry of a write that had landed fails with 412, so on 412 the object is
 * read back and the write is ours when it carries our `rev`.
 */
export async function writeJsonIf(file: File, value: Revised, generation: string): Promise<boolean> {
  try {
    await file.save(JSON.stringify(value), { resumable: false, contentType: "application/json", preconditionOpts: { ifGenerationMatch: generation } });
    return true;
  } catch (e) {
    if (statusOf(e) !== 412) throw e;
    const now = await readObject(file);
    if (!now) return false;
    try {
      return (JSON.parse(now.data.toString("utf8")) as Partial<Revised> | null)?.rev === value.rev;
    } catch {
      return false;
    }
  }
}

/** What `decide` sees: the current value, or that the object is missing or damaged. */
export type Current<T> = { readonly value: T } | { readonly missing: true } | { readonly damaged: true };

/**
 * The compare-and-swap loop on one JSON object: read it with its generation, let `decide` make
 * the next version (undefined: no change), write it only if the generation is unchanged (or, for
 * a missing object, only if it is still missing); on a conflict read again and decide again.
 * Returns what the object holds now (as far as this call knows) and whether this call wrote it.
 * With `missingFirst` (the object is usually new: a claim, a reservation), the first try creates
 * it without reading it, saving a request; a conflict falls back to reading.
 */
export async function changeJson<T extends Revised>(
  file: File,
  schema: z.ZodType<T>,
  decide: (current: Current<T>) => Omit<T, "rev"> | undefined | Promise<Omit<T, "rev"> | undefined>,
  options: { missingFirst?: boolean } = {},
): Promise<{ current: Current<T>; written: boolean }> {
  if (options.missingFirst) {
    const next = await decide({ missing: true });
    const value = next && ({ ...next, rev: randomUUID() } as T);
    if (value && (await writeJsonIf(file, value, "0"))) return { current: { value }, written: true };
  }
  for (let attempt = 1; ; attempt++) {
    const read = await readJson(file, schema);
    const current: Current<T> = !read ? { missing: true } : "damaged" in read ? { damaged: true } : { value: read.value };
    const next = await decide(current);
    if (!next) return { current, written: false };
    const value = { ...next, rev: randomUUID() } as T;
    if (await writeJsonIf(file, value, read?.generation ?? "0")) return { current: { value }, written: true };
    if (attempt >= 50) throw new Error(`${file.name} changed under us ${attempt} times in a row`);
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** attempt)));
  }
}
