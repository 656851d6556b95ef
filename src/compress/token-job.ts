/**
 * The exact token figures of one compressed request, as a job of plain data: what a worker
 * thread receives and answers, so the tokenizer's tables load, and its counting runs, off the
 * thread that relays streams (loading o200k alone blocks for hundreds of milliseconds).
 * @module
 */

import { type Json, obj } from "../core/json-value.ts";
import { type RequestTokenFigures, requestTokenFigures } from "./request-tokens.ts";
import type { GenerationApi } from "./slots.ts";
import { countTokens, loadTokenizerFor } from "./tokens.ts";

/** What {@link runTokenJob} counts. */
export interface TokenJob {
  readonly api: GenerationApi;
  /** The request's JSON text as the client sent it. */
  readonly bodyText: string;
  readonly model: string;
  /** Each rewritten tool output, before and after. */
  readonly edits: readonly { readonly before: string; readonly after: string }[];
  /** The tool outputs that were candidates for compression. */
  readonly candidates: readonly string[];
}

/** The request's figures, and each edit's tokens before and after, in the order given. */
export interface TokenAnswer extends RequestTokenFigures {
  readonly edits: readonly { readonly before: number; readonly after: number }[];
}

/** Counts a job somewhere: in a worker when the runtime has a pool. */
export type TokenRunner = (job: TokenJob) => Promise<TokenAnswer>;

/** Counts one job in this thread (loading the model's encoding on first use). */
export async function runTokenJob(job: TokenJob): Promise<TokenAnswer> {
  await loadTokenizerFor(job.model);
  const body: Json = obj(JSON.parse(job.bodyText)) ?? {};
  const edits = job.edits.map((edit) => ({ slot: { text: edit.before }, text: edit.after }));
  const figures = requestTokenFigures(job.api, body, job.model, edits, job.candidates);
  return {
    ...figures,
    edits: job.edits.map((edit) => ({
      before: countTokens(edit.before, job.model),
      after: countTokens(edit.after, job.model),
    })),
  };
}
