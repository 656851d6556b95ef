/**
 * One tool output to compress, as plain data: what a worker thread receives and answers, so the
 * same {@link compressText} call gives the same bytes on whichever thread runs it.
 * @module
 */

import { compressText, type TextCompression } from "./compress-text.ts";
import type { CompressProbe } from "./probe.ts";

/** The inputs of one {@link compressText} call, with the marker hash as a value. */
export interface CompressJob {
  readonly text: string;
  readonly query: string;
  readonly lossy: boolean;
  /** The marker hash (24 hex digits) the original will be stored under. */
  readonly hash: string;
  /** `text` is a Read of a saved command output (see Slot.savedOutput), never an edited file. */
  readonly savedOutput?: boolean;
}

/**
 * Runs jobs, possibly off the calling thread. An aborted `signal` means nobody waits for the
 * answer any more: a job not started yet is never started (the promise then resolves undefined).
 */
export type CompressRunner = (
  job: CompressJob,
  signal?: AbortSignal,
) => Promise<TextCompression | undefined>;

/** Runs one job here and now (`probe`: see probe.ts; jobs sent to workers carry none). */
export function runCompressJob(
  job: CompressJob,
  probe?: CompressProbe,
): TextCompression | undefined {
  return compressText(job.text, {
    query: job.query,
    lossy: job.lossy,
    hash: () => job.hash,
    savedOutput: job.savedOutput,
    probe,
  });
}

/** The runner without threads: for tests, the Deno entry's fallback, and a pool that failed. */
export const compressInThread: CompressRunner = async (job, signal) => {
  // One turn of the event loop first, so a deadline or an abort can land between two jobs.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return signal?.aborted ? undefined : runCompressJob(job);
};
