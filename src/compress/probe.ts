/**
 * What a test or the fuzzer can observe of one compression that the request path never reads:
 * the errors compressors caught and turned into "no compression" (fail open: the original is
 * forwarded, yet a swallowed error is still a bug and a lost saving). It rides in the compression
 * context; production passes none, so the compressors hold no state for tests.
 * @module
 */

export interface CompressProbe {
  /** A compressor (or detection, or the envelope layer) caught `error` at `where` and declined. */
  readonly swallowed?: (where: string, error: unknown) => void;
}
