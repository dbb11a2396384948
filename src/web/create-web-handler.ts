import type { IncomingMessage, ServerResponse } from "node:http";
import { loadJobPageState, relativeLink } from "./job-page-state.js";
import type { LinkScope } from "./link-signer.js";
import { renderJobList } from "./render/render-job-list.js";
import { renderJobPage } from "./render/render-job-page.js";
import { sendAsset, sendDownload, sendHtml, sendNotFound } from "./send.js";
import { serveJobEvents } from "./serve-job-events.js";
import { loadWebAsset } from "./web-assets.js";
import { defaultLogKey, type WebDeps } from "./web-deps.js";
import { buildJobView } from "./job-view.js";

const LIST_LIMIT = 100;
const INITIAL_LOG_LINES = 500;

type Route =
  | { kind: "asset"; name: string }
  | { kind: "job"; id: string; rest: "page" | "events" | { artifact: string } }
  | { kind: "repo"; owner: string; name: string }
  | { kind: "pr"; owner: string; name: string; pr: number };

/**
 * The job pages as a Probot HTTP handler: `/jobs/<id>` (the page), `/jobs/<id>/events` (its live
 * stream), `/jobs/<id>/artifacts/<key>` (downloads), `/repos/<owner>/<name>[/pulls/<n>]` (lists),
 * each only with a valid signature for its scope (else 404, like a page that does not exist), and
 * `/assets/<name>` (the page's own scripts and styles, public). Anything else is not ours.
 */
export function createWebHandler(deps: WebDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = matchRoute(url.pathname);
    if (!route) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendNotFound(res);
      return true;
    }
    try {
      await serve(deps, route, url, req, res);
    } catch (e) {
      deps.log?.error({ err: e, path: url.pathname }, "job page failed");
      if (!res.headersSent) sendNotFound(res);
      else res.end();
    }
    return true;
  };
}

function matchRoute(pathname: string): Route | undefined {
  const parts = pathname.split("/").slice(1).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return "\u0000";
    }
  });
  if (parts[0] === "assets" && parts.length === 2) return { kind: "asset", name: parts[1]! };
  if (parts[0] === "jobs" && parts[1]) {
    if (parts.length === 2) return { kind: "job", id: parts[1], rest: "page" };
    if (parts.length === 3 && parts[2] === "events") return { kind: "job", id: parts[1], rest: "events" };
    if (parts[2] === "artifacts" && parts.length > 3) return { kind: "job", id: parts[1], rest: { artifact: parts.slice(3).join("/") } };
  }
  if (parts[0] === "repos" && parts[1] && parts[2]) {
    if (parts.length === 3) return { kind: "repo", owner: parts[1], name: parts[2] };
    if (parts.length === 5 && parts[3] === "pulls" && /^\d{1,9}$/.test(parts[4]!)) return { kind: "pr", owner: parts[1], name: parts[2], pr: Number(parts[4]) };
  }
  return parts[0] === "jobs" || parts[0] === "repos" || parts[0] === "assets" ? { kind: "asset", name: "" } : undefined;
}

async function serve(deps: WebDeps, route: Route, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === "HEAD";
  if (route.kind === "asset") {
    const asset = loadWebAsset(route.name);
    return asset ? sendAsset(res, await asset, head) : sendNotFound(res);
  }
  const scope: LinkScope = route.kind === "job" ? { kind: "job", id: route.id } : route;
  if (!deps.signer.verify(scope, url.searchParams.get("exp"), url.searchParams.get("sig"))) return sendNotFound(res);
  if (route.kind === "repo" || route.kind === "pr") return serveList(deps, route, res);

  const job = await deps.store.get(route.id);
  if (!job) return sendNotFound(res);
  if (route.rest === "events") {
    const lastId = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? 0);
    return serveJobEvents(deps, req, res, job, Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0);
  }
  if (route.rest !== "page") {
    const view = buildJobView(job, defaultLogKey(job.id));
    // Only the keys the job lists: a signature for one job opens nothing else in the store.
    if (!view.artifacts.includes(route.rest.artifact)) return sendNotFound(res);
    const body = await deps.artifacts.get(route.rest.artifact);
    if (!body) return sendNotFound(res);
    const redacted = route.rest.artifact === view.logKey ? Buffer.from(deps.redact(body.toString("utf8"))) : body;
    return sendDownload(res, route.rest.artifact.split("/").pop() ?? "download", redacted, head);
  }
  const state = await loadJobPageState(deps, job, { withLines: true });
  const shown = state.lines.slice(-INITIAL_LOG_LINES);
  const after = shown.at(-1)?.n ?? 0;
  const scopeLink = (suffix: string) => relativeLink(deps, { kind: "job", id: job.id }, suffix);
  const html = renderJobPage(
    state.view,
    state.sections,
    { events: `${scopeLink("/events")}&after=${after}`, state: job.state, plots: state.plots },
    {
      repo: relativeLink(deps, { kind: "repo", owner: job.repo.owner, name: job.repo.name }),
      pr: job.pr === null ? undefined : relativeLink(deps, { kind: "pr", owner: job.repo.owner, name: job.repo.name, pr: job.pr }),
      logText: (state.lines.length > shown.length ? `[${state.lines.length - shown.length} earlier lines: download the log below]\n` : "") + shown.map((l) => `${l.text}\n`).join(""),
    },
  );
  return head ? void res.writeHead(200).end() : sendHtml(res, html);
}

async function serveList(deps: WebDeps, route: Extract<Route, { kind: "repo" | "pr" }>, res: ServerResponse): Promise<void> {
  const all = await deps.store.list({ repo: { owner: route.owner, name: route.name } });
  const jobs = all.filter((j) => route.kind === "repo" || j.pr === route.pr).reverse().slice(0, LIST_LIMIT);
  const title = route.kind === "pr" ? `${route.owner}/${route.name} #${route.pr}: jobs` : `${route.owner}/${route.name}: jobs`;
  sendHtml(
    res,
    renderJobList({
      title,
      jobs,
      link: (job) => relativeLink(deps, { kind: "job", id: job.id }),
      prLink: (pr) => relativeLink(deps, { kind: "pr", owner: route.owner, name: route.name, pr }),
    }),
  );
}
