/** What a client did wrong (or why the server cannot answer), sent as `{"error": {code, message, field?}}`. */
export interface ApiError {
  readonly status: number;
  /** Stable, machine-readable: `bad_json`, `wrong_feature_count`, ... (see docs/serving.md). */
  readonly code: string;
  /** One sentence a person can act on. */
  readonly message: string;
  /** Where in the body, e.g. `instances[3][2]` or `instances[0].f3`. */
  readonly field?: string;
}

export function apiError(status: number, code: string, message: string, field?: string): ApiError {
  return field === undefined ? { status, code, message } : { status, code, message, field };
}

/** The response body of an error. */
export function renderApiError(e: ApiError): string {
  return JSON.stringify({ error: e.field === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, field: e.field } });
}
