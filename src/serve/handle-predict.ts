import { err, type Result } from "../core/result.js";
import { apiError, type ApiError } from "./api-error.js";
import type { PredictInput, PredictRequestParser } from "./create-predict-request-parser.js";
import { notReadyError } from "./not-ready-error.js";
import type { Exchange, Responder } from "./responder.js";
import type { ServeMetrics } from "./create-serve-metrics.js";
import { readBody } from "./read-body.js";
import type { ServerState } from "./server-state.js";

const CLOSE = { connection: "close" };

/**
 * `POST /predict`: checks the request's form (415, 413) before reading it, reads at most
 * `maxBodyBytes`, reads the instances (the scanner's single pass for plain bodies, else
 * `JSON.parse` and the full validation: 400 with what is wrong), runs them through the batcher
 * and answers the predictions in input order.
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
  let input = model.scan(body.value);
  if (!input) {
    // Not the plain shape the scanner reads: the full path, which also says what is wrong.
    const parsed = parseFully(body.value, model.parse);
    if (!parsed.ok) {
      respond.error(x, parsed.error);
      return;
    }
    input = parsed.value;
  }
  metrics.instances(input.count);
  const slice = await model.batcher.predict(input);
  respond.ascii(x, 200, model.encode(slice.outputs, slice.start, slice.count));
}

/** `JSON.parse`, then the model's validation (the zod envelope and a check of every value). */
function parseFully(body: Buffer, parse: PredictRequestParser): Result<PredictInput, ApiError> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch (e) {
    const reason = body.length === 0 ? "the body is empty" : `the body is not valid JSON: ${(e as Error).message}`;
    return err(apiError(400, "bad_json", `${reason}; send {"instances": [[...], ...]}`));
  }
  return parse(json);
}

/** `application/json`, with or without parameters (`; charset=utf-8`), any case. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(";");
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === "application/json";
}
