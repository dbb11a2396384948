import { apiError } from "./api-error.js";
import { notReadyError } from "./not-ready-error.js";
import type { Exchange, Responder } from "./responder.js";
import type { ServeMetrics } from "./create-serve-metrics.js";
import { readBody } from "./read-body.js";
import type { ServerState } from "./server-state.js";

const CLOSE = { connection: "close" };

/**
 * `POST /predict`: checks the request's form (415, 413) before reading it, reads at most
 * `maxBodyBytes`, parses JSON (400), validates the instances against the model (400), runs
 * them through the batcher and answers the predictions in input order.
 */
export async function handlePredict(params: { x: Exchange; state: ServerState; respond: Responder; metrics: ServeMetrics; maxBodyBytes: number }): Promise<void> {
  const { x, state, respond, metrics } = params;
  const contentType = x.req.headers["content-type"];
  if (!isJson(contentType)) {
    const got = contentType === undefined ? "no Content-Type" : `Content-Type ${JSON.stringify(contentType)}`;
    respond.error(x, apiError(415, "unsupported_media_type", `the body must be JSON sent with Content-Type: application/json (got ${got})`));
    return;
  }
  const model = state.model;
  if (!model) {
    respond.error(x, notReadyError(state));
    return;
  }
  const body = await readBody(x.req, params.maxBodyBytes);
  if (!body.ok) {
    respond.error(x, body.error.error, body.error.close ? CLOSE : {});
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body.value.toString("utf8"));
  } catch (e) {
    const reason = body.value.length === 0 ? "the body is empty" : `the body is not valid JSON: ${(e as Error).message}`;
    respond.error(x, apiError(400, "bad_json", `${reason}; send {"instances": [[...], ...]}`));
    return;
  }
  const input = model.parse(json);
  if (!input.ok) {
    respond.error(x, input.error);
    return;
  }
  metrics.instances(input.value.count);
  const slice = await model.batcher.predict(input.value);
  respond.json(x, 200, model.encode(slice.outputs, slice.start, slice.count));
}

/** `application/json`, with or without parameters (`; charset=utf-8`), any case. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(";");
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === "application/json";
}
