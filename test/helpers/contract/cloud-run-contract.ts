import { createRequire } from "node:module";
import protobuf from "protobufjs";
import type { Exchange } from "./github-contract.js";

/**
 * The Cloud Run Admin API v2 as `@google-cloud/run` describes it (its bundled protos.json): each
 * RPC's HTTP rule (`google.api.http`) gives the method and path, its request and response
 * messages give the JSON bodies (proto3 JSON mapping: lowerCamelCase fields, enums by name or
 * number, Timestamp and Duration as strings, Any with its `@type`).
 */
interface Rpc {
  name: string;
  method: string;
  pattern: RegExp;
  pathFields: string[];
  body: string | undefined;
  request: protobuf.Type;
  response: protobuf.Type;
}

let loaded: { root: protobuf.Root; rpcs: Rpc[] } | undefined;

function contract(): NonNullable<typeof loaded> {
  if (!loaded) {
    const json = createRequire(import.meta.url)("@google-cloud/run/build/protos/protos.json") as protobuf.INamespace;
    const root = protobuf.Root.fromJSON(json);
    root.resolveAll();
    const rpcs: Rpc[] = [];
    for (const service of services(root)) {
      for (const method of Object.values(service.methods)) {
        const rule = (method.parsedOptions ?? []).find((o: Record<string, unknown>) => "(google.api.http)" in o)?.["(google.api.http)"] as Record<string, string> | undefined;
        const verb = rule && ["get", "post", "patch", "delete", "put"].find((v) => v in rule);
        if (!rule || !verb) continue;
        const pathFields: string[] = [];
        const source = rule[verb]!.replace(/[.*+?^$()|[\]\\:]/g, (c) => (c === "*" ? c : `\\${c}`)).replace(/\{([\w.\\]+)(?:=([^}]+))?\}/g, (_m, escaped: string, segments?: string) => {
          // A nested field (`service.name`) had its dot escaped with the rest of the template.
          pathFields.push(escaped.replaceAll("\\", ""));
          return `(${(segments ?? "*").replace(/\\?\*\*/g, ".+").replace(/\\?\*/g, "[^/]+")})`;
        });
        rpcs.push({
          name: `${service.name}.${method.name}`,
          method: verb.toUpperCase(),
          pattern: new RegExp(`^${source}$`),
          pathFields,
          body: rule.body,
          request: method.resolvedRequestType!,
          response: method.resolvedResponseType!,
        });
      }
    }
    loaded = { root, rpcs };
  }
  return loaded;
}

function services(ns: protobuf.NamespaceBase): protobuf.Service[] {
  return ns.nestedArray.flatMap((n) => (n instanceof protobuf.Service ? [n] : n instanceof protobuf.Namespace ? services(n) : []));
}

/** Query parameters every Google REST API takes (the client's fallback adds `$alt`). */
const SYSTEM_PARAMETERS = new Set(["$alt", "alt", "key", "prettyPrint", "fields", "$fields", "quotaUser", "access_token"]);

/** What is wrong with one exchange with the Cloud Run Admin API v2; empty when it fits. */
export function checkCloudRunExchange(exchange: Exchange): string[] {
  const [pathname = "", search = ""] = exchange.path.split("?", 2) as [string, string?];
  const rpc = contract().rpcs.find((r) => r.method === exchange.method.toUpperCase() && r.pattern.test(pathname));
  const label = `${exchange.method} ${pathname}`;
  if (!rpc) return [`${label}: the Cloud Run Admin API v2 has no such method`];
  const problems: string[] = [];
  for (const name of new URLSearchParams(search).keys()) {
    if (!SYSTEM_PARAMETERS.has(name) && !rpc.request.fields[name]) problems.push(`query parameter "${name}" is not a field of ${rpc.request.name}`);
  }
  if (rpc.body === "*" && exchange.requestBody !== undefined) {
    problems.push(...checkMessage(rpc.request, exchange.requestBody, "request body", new Set(rpc.pathFields)));
  } else if (rpc.body && rpc.body !== "*" && exchange.requestBody !== undefined) {
    // The body is one field of the request (`service`); path fields inside it (`service.name`) are left out of it.
    const field = rpc.request.fields[rpc.body];
    const inPath = new Set(rpc.pathFields.filter((f) => f.startsWith(`${rpc.body}.`)).map((f) => f.slice(rpc.body!.length + 1)));
    if (!field?.resolvedType || !(field.resolvedType instanceof protobuf.Type)) problems.push(`the body field "${rpc.body}" is not a message`);
    else problems.push(...checkMessage(field.resolvedType, exchange.requestBody, "request body", inPath));
  } else if (!rpc.body && exchange.requestBody !== undefined && exchange.requestBody !== "") {
    problems.push("the method takes no request body, but one was sent");
  }
  if (exchange.status >= 200 && exchange.status < 300) problems.push(...checkMessage(rpc.response, exchange.responseBody, "response"));
  else problems.push(...checkError(exchange));
  return problems.map((p) => `${label} (${rpc.name}): ${p}`);
}

/** Google's error envelope: `{ "error": { "code", "message", "status" } }` with the HTTP status as code. */
function checkError(exchange: Exchange): string[] {
  const error = (exchange.responseBody as { error?: { code?: unknown; message?: unknown; status?: unknown } } | undefined)?.error;
  if (!error || error.code !== exchange.status || typeof error.message !== "string" || typeof error.status !== "string") {
    return [`status ${exchange.status} must carry Google's error envelope { error: { code: ${exchange.status}, message, status } }`];
  }
  return [];
}

function checkMessage(type: protobuf.Type, value: unknown, at: string, allowed = new Set<string>()): string[] {
  if (type.fullName === ".google.protobuf.Timestamp") return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? [] : [`${at} must be an RFC 3339 timestamp`];
  if (type.fullName === ".google.protobuf.Duration") return typeof value === "string" && /^-?\d+(\.\d+)?s$/.test(value) ? [] : [`${at} must be a duration like "3.5s"`];
  if (type.fullName === ".google.protobuf.FieldMask") return typeof value === "string" ? [] : [`${at} must be a string`];
  if ([".google.protobuf.Struct", ".google.protobuf.Value", ".google.protobuf.ListValue"].includes(type.fullName)) return [];
  if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at} must be a ${type.name} object`];
  let fields = value as Record<string, unknown>;
  if (type.fullName === ".google.protobuf.Any") {
    const url = fields["@type"];
    const inner = typeof url === "string" ? contract().root.lookupType(url.replace(/^.*\//, "")) : undefined;
    if (!inner) return [`${at} must name its message in "@type"`];
    fields = { ...fields };
    delete fields["@type"];
    return checkMessage(inner, fields, at);
  }
  const problems: string[] = [];
  for (const [name, item] of Object.entries(fields)) {
    const field = type.fields[name] ?? Object.values(type.fields).find((f) => f.options?.json_name === name);
    if (!field) {
      if (!allowed.has(name)) problems.push(`${at} has "${name}", which ${type.name} does not have`);
      continue;
    }
    if (item === null) continue;
    const where = `${at}.${name}`;
    if (field.repeated) {
      if (!Array.isArray(item)) problems.push(`${where} must be a list`);
      else item.forEach((element, i) => problems.push(...checkValue(field, element, `${where}[${i}]`)));
    } else if (field instanceof protobuf.MapField) {
      if (!item || typeof item !== "object") problems.push(`${where} must be a map`);
      else for (const [k, v] of Object.entries(item)) problems.push(...checkValue(field, v, `${where}.${k}`));
    } else problems.push(...checkValue(field, item, where));
  }
  return problems;
}

const INTEGER = /^-?\d+$/;

function checkValue(field: protobuf.Field, value: unknown, at: string): string[] {
  if (field.resolvedType instanceof protobuf.Type) return checkMessage(field.resolvedType, value, at);
  if (field.resolvedType instanceof protobuf.Enum) {
    const values = field.resolvedType.values;
    const known = typeof value === "string" ? value in values : Object.values(values).includes(value as number);
    return known ? [] : [`${at} = ${JSON.stringify(value)} is not a value of ${field.resolvedType.name}`];
  }
  switch (field.type) {
    case "string":
    case "bytes":
      return typeof value === "string" ? [] : [`${at} must be a string`];
    case "bool":
      return typeof value === "boolean" ? [] : [`${at} must be true or false`];
    case "double":
    case "float":
      return typeof value === "number" ? [] : [`${at} must be a number`];
    default:
      // int32 and friends are numbers; 64-bit integers may also come as decimal strings.
      return Number.isInteger(value) || (typeof value === "string" && INTEGER.test(value) && /64/.test(field.type)) ? [] : [`${at} must be an integer (${field.type})`];
  }
}
