import { parseGcsUrl, type GcsLocation } from "../parse-gcs-url.js";
import { parsePostgresUrl, type PostgresUrl } from "../parse-postgres-url.js";
import { err, ok, type Result } from "../result.js";

/** Where an artifact store can be opened: a folder or a Cloud Storage prefix. */
export type ArtifactLocation = Extract<StorageLocation, { kind: "folder" | "gcs" }>;

/** Where a store is, as its URL says. */
export type StorageLocation =
  | { readonly kind: "folder"; readonly dir: string }
  | { readonly kind: "gcs"; readonly url: string; readonly location: GcsLocation }
  | { readonly kind: "postgres"; readonly url: string; readonly postgres: PostgresUrl }
  | { readonly kind: "sqlite" };

/** The ways a store's location can be written: a plain path, `file://`, `gs://`, `postgres://`, or the word `sqlite`. */
export type StorageScheme = "path" | "file" | "gs" | "postgres" | "sqlite";

/** The kind of location each scheme parses into. */
interface KindOfScheme {
  path: "folder";
  file: "folder";
  gs: "gcs";
  postgres: "postgres";
  sqlite: "sqlite";
}

/** The locations a list of accepted schemes can parse into. */
export type LocationOf<S extends StorageScheme> = Extract<StorageLocation, { kind: KindOfScheme[S] }>;

interface SchemeEntry {
  /** How the form is written, for messages. */
  readonly example: string;
  readonly matches: (url: string) => boolean;
  readonly parse: (url: string) => Result<StorageLocation, string>;
}

const HAS_SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Storage URL schemes: the one table. Config (`MLOPS_JOB_STORE`, `MLOPS_ARTIFACTS`,
 * `MLOPS_DEPLOY_MODELS`), the DVC remotes the data check reads and the `--run` of `mlops-bot job`
 * are parsed here, each saying which schemes it accepts; the adapters build a store from the
 * parsed location (`adapters/stores/open-artifact-store.ts`, `create-job-store.ts`).
 */
const SCHEMES: Readonly<Record<StorageScheme, SchemeEntry>> = {
  sqlite: { example: "`sqlite`", matches: (url) => url === "sqlite", parse: () => ok({ kind: "sqlite" }) },
  gs: {
    example: "`gs://bucket/prefix`",
    matches: (url) => /^gs:/i.test(url),
    parse: (url) => {
      const parsed = parseGcsUrl(url);
      return parsed.ok ? ok({ kind: "gcs", url, location: parsed.value }) : parsed;
    },
  },
  postgres: {
    example: "`postgres://user:password@host:5432/database`",
    matches: (url) => /^postgres(ql)?:/i.test(url),
    parse: (url) => {
      const parsed = parsePostgresUrl(url);
      return parsed.ok ? ok({ kind: "postgres", url, postgres: parsed.value }) : parsed;
    },
  },
  file: { example: "`file:///srv/store`", matches: (url) => /^file:/i.test(url), parse: parseFileUrl },
  path: { example: "a folder (`/srv/store`)", matches: (url) => !HAS_SCHEME.test(url), parse: (url) => ok({ kind: "folder", dir: url }) },
};

/** The order schemes are tried in: `sqlite` before a plain path, which it would also be. */
const ORDER: readonly StorageScheme[] = ["sqlite", "gs", "postgres", "file", "path"];

/** The order they are listed in. */
const LISTED: readonly StorageScheme[] = ["path", "file", "sqlite", "postgres", "gs"];

/**
 * A store location from its URL, if its scheme is one of `accepted`; else what is wrong, naming
 * the accepted forms. A URL of a scheme not accepted is never quoted (it may hold a password).
 */
export function parseStorageUrl<S extends StorageScheme>(url: string, accepted: readonly S[]): Result<LocationOf<S>, string> {
  const value = url.trim();
  const scheme = ORDER.find((name) => (accepted as readonly StorageScheme[]).includes(name) && SCHEMES[name].matches(value));
  if (scheme === undefined) {
    const written = HAS_SCHEME.exec(value)?.[1];
    const what = written ? `\`${written.toLowerCase()}:\` URLs are` : "a folder is";
    return err(`${what} not supported here; use ${describeStorageSchemes(accepted)}`);
  }
  // The scheme is one of S, and each entry parses into its own kind (KindOfScheme).
  return SCHEMES[scheme].parse(value) as Result<LocationOf<S>, string>;
}

/** `a folder (/srv/store), file:///srv/store or gs://bucket/prefix`: the accepted forms, for messages and docs. */
export function describeStorageSchemes(accepted: readonly StorageScheme[]): string {
  const examples = LISTED.filter((name) => accepted.includes(name)).map((name) => SCHEMES[name].example);
  return examples.length > 1 ? `${examples.slice(0, -1).join(", ")} or ${examples.at(-1)}` : (examples[0] ?? "nothing");
}

/** `file:///srv/store` -> the folder; a URL naming another host, or not a URL at all, is refused. */
function parseFileUrl(url: string): Result<StorageLocation, string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return err(`\`${url}\` cannot be read as a file:// URL; write it as file:///srv/store`);
  }
  if (parsed.hostname !== "" && parsed.hostname !== "localhost") {
    return err(`\`${url}\` names the host \`${parsed.hostname}\`; a file:// URL must name a folder on this machine, like file:///srv/store`);
  }
  try {
    return ok({ kind: "folder", dir: decodeURIComponent(parsed.pathname) });
  } catch {
    return err(`\`${url}\` has a broken %-escape; write it as file:///srv/store`);
  }
}
