import AjvModule, { type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";

const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

/** OpenAPI 3.0 formats that JSON Schema does not define: accepted as they come. */
const OPENAPI_ONLY_FORMATS = ["int32", "int64", "double", "float", "binary", "byte", "repo.nwo", "timestamp", "password"];

/**
 * One Ajv per process for an OpenAPI 3.0 document (its `nullable`s made Ajv's by
 * `normalizeNullable`) registered under `id`: schemas compiled from it
 * resolve `#/components/...` references against that document, and each compiled validator is
 * kept (validators are compiled lazily, the first time an operation is seen).
 */
export class OpenApiSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false, logger: false });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(
    private readonly id: string,
    document: object,
  ) {
    addFormats(this.ajv);
    for (const name of OPENAPI_ONLY_FORMATS) this.ajv.addFormat(name, true);
    this.ajv.addSchema(document, id);
  }

  /**
   * The validator for `schema` (a node of the document), cached under `key`. `closed` adds
   * `additionalProperties: false` to its inline objects, so a request with a field the API does
   * not know fails.
   */
  validator(key: string, schema: unknown, closed: boolean): ValidateFunction {
    let found = this.cache.get(key);
    if (!found) {
      found = this.ajv.compile(this.rebase(schema, closed) as object);
      this.cache.set(key, found);
    }
    return found;
  }

  /** Ajv's errors as short lines: `/output/title must be string`. */
  static describe(errors: ValidateFunction["errors"]): string {
    return (errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`)
      .join("; ");
  }

  /** Copies the inline part of a schema, pointing its local `$ref`s at the registered document. */
  private rebase(node: unknown, closed: boolean, inCombination = false): unknown {
    if (Array.isArray(node)) return node.map((n) => this.rebase(n, closed, inCombination));
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#")) out[key] = `${this.id}${value}`;
      else out[key] = this.rebase(value, closed, inCombination || key === "allOf");
    }
    const object = out as { type?: unknown; properties?: unknown; additionalProperties?: unknown };
    if (closed && !inCombination && object.type === "object" && object.properties && object.additionalProperties === undefined) {
      object.additionalProperties = false;
    }
    return out;
  }
}

/**
 * OpenAPI 3.0's `nullable: true` beside a `$ref` or a combination (no `type`) means "or null";
 * Ajv takes `nullable` only next to `type`, so such a node becomes `anyOf: [node, null]`; a
 * nullable `enum` gets `null` among its values.
 */
export function normalizeNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) normalizeNullable(n);
    return;
  }
  if (!node || typeof node !== "object") return;
  const object = node as Record<string, unknown>;
  for (const value of Object.values(object)) normalizeNullable(value);
  if (object.nullable === true && Array.isArray(object.enum) && !object.enum.includes(null)) object.enum = [...(object.enum as unknown[]), null];
  if (object.nullable === true && object.type === undefined) {
    const inner = { ...object };
    delete inner.nullable;
    for (const key of Object.keys(object)) delete object[key];
    object.anyOf = [inner, { type: "null" }];
  }
}
