/** One "this PR completes that backlog item" found in a pull-request body. */
export interface ItemReference {
  /** `owner/repo` when the reference names another repository, else null (this one). */
  readonly repo: string | null;
  readonly issue: number;
  /** Upper-cased role tag, e.g. `AI` for `[AI] 2.6`; null when not given. */
  readonly role: string | null;
  /** The item number as written, e.g. `2.6`. */
  readonly number: string;
  /** The whole phrase it was found in, e.g. `Completes #12 [AI] 2.6, 2.7`. */
  readonly phrase: string;
  /** 1-based line in the body. */
  readonly line: number;
}
