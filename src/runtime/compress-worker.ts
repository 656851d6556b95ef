/**
 * The worker thread behind the compression pool: answers each job with exactly what the same
 * call gives on the main thread (compressText, or a request's exact token figures). Loaded by
 * compress-pool.ts, and built into the executable as an entrypoint of its own (scripts/compile.ts).
 * @module
 */

import { type CompressJob, runCompressJob } from "../compress/compress-job.ts";
import { runTokenJob, type TokenJob } from "../compress/token-job.ts";

/** One message from the pool. */
type Request =
  | { id: number; kind: "compress"; job: CompressJob }
  | { id: number; kind: "tokens"; job: TokenJob };

/** The parts of a worker's global scope this file uses (tsc has no worker types here). */
declare const self: {
  onmessage: ((event: { data: Request }) => void) | null;
  postMessage(message: unknown): void;
};

self.onmessage = async (event) => {
  const request = event.data;
  try {
    // undefined does not survive every runtime's message passing: null stands for "no result".
    const result =
      request.kind === "compress"
        ? (runCompressJob(request.job) ?? null)
        : await runTokenJob(request.job);
    self.postMessage({ id: request.id, result });
  } catch (error) {
    self.postMessage({ id: request.id, error: (error as Error)?.message ?? String(error) });
  }
};
