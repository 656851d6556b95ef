/**
 * What a test or the fuzzer can observe of one compression that the request path never reads:
 * the errors compressors caught and turned into "no compression" (fail open: the original is
 * forwarded, yet a swallowed error is still a bug and a lost saving), and how many basic steps
 * the JSON compressor took (json/work-meter.ts). It rides in the compression context; production
 * passes none, so the compressors hold no state for tests.
 * @module
 */

export interface CompressProbe {
  /** A compressor (or detection, or the envelope layer) caught `error` at `where` and declined. */
  readonly swallowed?: (where: string, error: unknown) => void;
  /** The JSON compressor took `n` basic steps on one input (told once per call). */
  readonly steps?: (n: number) => void;
}
