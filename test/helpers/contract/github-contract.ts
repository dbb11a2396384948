import { loadSlimSpec } from "./slim-spec.js";
import { OpenApiSchemas } from "./schema-validator.js";

/** One HTTP exchange with the GitHub API as a test saw it. */
export interface Exchange {
  readonly method: string;
  /** Path and query, as sent (`/repos/o/r/issues/1/comments?per_page=100`). */
  readonly path: string;
  readonly accept?: string | undefined;
  /** The request body: parsed JSON, a string, or undefined when there was none. */
  readonly requestBody: unknown;
  readonly status: number;
  /** The response body: parsed JSON, a string, or undefined. */
  readonly responseBody: unknown;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: unknown;
}
interface Operation {
  operationId: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  literals: number;
  operations: Record<string, Operation>;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

interface Spec {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

let loaded: { spec: Spec; routes: Route[]; schemas: OpenApiSchemas } | undefined;

/** GitHub's published description of api.github.com (`@octokit/openapi`), loaded once per process. */
function contract(): NonNullable<typeof loaded> {
  if (!loaded) {
    const spec = loadSlimSpec("@octokit/openapi/generated/api.github.com.json") as Spec;
    const routes = Object.entries(spec.paths).map(([template, item]) => route(template, item));
    routes.sort((a, b) => b.literals - a.literals);
    loaded = { spec, routes, schemas: new OpenApiSchemas("github", { components: spec.components }) };
  }
  return loaded;
}

function route(template: string, item: Record<string, unknown>): Route {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const operations = Object.fromEntries(Object.entries(item).filter(([m]) => METHODS.includes(m))) as Record<string, Operation>;
  return { template, pattern: new RegExp(`^${source}$`), names, literals: template.split("/").filter((s) => s && !s.startsWith("{")).length, operations };
}

/** Follows a `#/components/...` reference to its node. */
function resolve<T>(node: unknown): T {
  const ref = (node as { $ref?: string } | undefined)?.$ref;
  if (!ref) return node as T;
  const found = ref
    .slice(2)
    .split("/")
    .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key.replace(/~1/g, "/").replace(/~0/g, "~")], contract().spec);
  return resolve<T>(found);
}

/**
 * What is wrong with one exchange according to GitHub's OpenAPI description: an unknown
 * route or method, a path or query parameter of the wrong type or unknown, a request body
 * that does not fit (unknown fields included), a status the operation never returns, or a
 * response body that does not fit its schema. Empty when it fits.
 */
export function checkGitHubExchange(exchange: Exchange): string[] {
  const { routes } = contract();
  const [pathname = "", search = ""] = exchange.path.split("?", 2) as [string, string?];
  const method = exchange.method.toLowerCase();
  const matched = routes.filter((r) => r.pattern.test(pathname));
  const found = matched.find((r) => r.operations[method]);
  const label = `${exchange.method} ${pathname}`;
  if (!found) return [matched.length ? `${label}: GitHub has no ${exchange.method} on ${matched[0]!.template}` : `${label}: GitHub's API has no such path`];
  const operation = found.operations[method]!;
  const where = `${label} (${operation.operationId})`;
  const problems = [
    ...checkParameters(found, operation, pathname, new URLSearchParams(search)),
    ...checkRequestBody(operation, exchange.requestBody),
    ...checkResponse(operation, exchange),
  ];
  return problems.map((p) => `${where}: ${p}`);
}

function checkParameters(found: Route, operation: Operation, pathname: string, query: URLSearchParams): string[] {
  const { schemas } = contract();
  const declared = (operation.parameters ?? []).map((p) => resolve<Parameter>(p));
  const problems: string[] = [];
  const values = found.pattern.exec(pathname)!.slice(1);
  found.names.forEach((name, i) => {
    const parameter = declared.find((p) => p.in === "path" && p.name === name);
    if (parameter) problems.push(...checkValue(schemas, `${operation.operationId} path ${name}`, parameter, decodeURIComponent(values[i]!)));
  });
  for (const name of new Set(query.keys())) {
    const parameter = declared.find((p) => p.in === "query" && p.name === name);
    if (!parameter) problems.push(`query parameter "${name}" is not one the operation takes`);
    else problems.push(...checkValue(schemas, `${operation.operationId} query ${name}`, parameter, query.get(name)!));
  }
  for (const p of declared) if (p.in === "query" && p.required && !query.has(p.name)) problems.push(`query parameter "${p.name}" is required`);
  return problems;
}

function checkValue(schemas: OpenApiSchemas, key: string, parameter: Parameter, raw: string): string[] {
  const type = (resolve<{ type?: string }>(parameter.schema) ?? {}).type;
  const value = (type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : type === "boolean" && /^(true|false)$/.test(raw) ? raw === "true" : raw;
  const validate = schemas.validator(key, parameter.schema ?? {}, false);
  return validate(value) ? [] : [`${parameter.in} parameter "${parameter.name}" = ${JSON.stringify(raw)}: ${OpenApiSchemas.describe(validate.errors)}`];
}

function checkRequestBody(operation: Operation, body: unknown): string[] {
  const declared = resolve<{ required?: boolean; content?: Record<string, { schema?: unknown }> } | undefined>(operation.requestBody);
  const empty = body === undefined || body === "";
  if (!declared) return empty ? [] : ["the operation takes no request body, but one was sent"];
  if (empty) return declared.required ? ["a request body is required"] : [];
  const schema = declared.content?.["application/json"]?.schema;
  if (!schema) return [];
  if (typeof body === "string") return ["the request body is not JSON"];
  const validate = contract().schemas.validator(`${operation.operationId} request`, schema, true);
  return validate(body) ? [] : [`request body: ${OpenApiSchemas.describe(validate.errors)}`];
}

/**
 * Errors GitHub may answer on any operation, documented or not ("Troubleshooting the REST API":
 * a missing resource or one the token cannot see is a 404, a lost token a 401, server trouble a
 * 5xx), with GitHub's error body.
 */
const ANY_OPERATION_ERRORS = new Set([401, 403, 404, 410, 500, 502, 503]);
const BASIC_ERROR = { content: { "application/json": { schema: { $ref: "#/components/schemas/basic-error" } } } };

function checkResponse(operation: Operation, exchange: Exchange): string[] {
  const responses = operation.responses;
  const documented = responses[String(exchange.status)] ?? responses.default ?? (ANY_OPERATION_ERRORS.has(exchange.status) ? BASIC_ERROR : undefined);
  const response = resolve<{ content?: Record<string, { schema?: unknown }> } | undefined>(documented);
  if (!response) return [`status ${exchange.status} is not one the operation returns (${Object.keys(responses).join(", ")})`];
  const empty = exchange.responseBody === undefined || exchange.responseBody === "";
  if (!response.content) return empty ? [] : [`status ${exchange.status} has no body, but the fake sent one`];
  // A raw media type (`application/vnd.github.raw`) answers with the file itself.
  if (exchange.status < 300 && /\.raw\b/.test(exchange.accept ?? "")) return typeof exchange.responseBody === "string" ? [] : ["a raw media type answers with text"];
  const schema = response.content["application/json"]?.schema;
  if (!schema) return [];
  if (empty || typeof exchange.responseBody === "string") return [`status ${exchange.status} answers with JSON, but the fake sent ${empty ? "nothing" : "text"}`];
  const validate = contract().schemas.validator(`${operation.operationId} ${exchange.status}`, schema, false);
  return validate(exchange.responseBody) ? [] : [`response ${exchange.status}: ${OpenApiSchemas.describe(validate.errors)}`];
}

/** GitHub's own example of a component (`issue-comment`, `check-run`...), a fresh copy to edit. */
export function githubExample<T = Record<string, any>>(name: string): T {
  const example = contract().spec.components.examples?.[name] as { value?: unknown } | undefined;
  if (!example?.value) throw new Error(`GitHub's OpenAPI description has no example "${name}"`);
  return structuredClone(example.value) as T;
}

/** The version of the description the checks use. */
export function githubContractVersion(): string {
  return contract().spec.info.version;
}
