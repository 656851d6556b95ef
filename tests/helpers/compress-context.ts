import { formatMarker, originalHash } from "../../src/compress/marker.ts";
import type { CompressProbe } from "../../src/compress/probe.ts";
import type { CompressContext } from "../../src/compress/types.ts";

/** Builds the context a compressor gets for `input`, as the router will. */
export function contextFor(
  input: string,
  options: { query?: string; lossy?: boolean; probe?: CompressProbe } = {},
): CompressContext {
  return {
    query: options.query ?? "",
    lossy: options.lossy ?? true,
    marker: (summary) => formatMarker(summary, originalHash(input)),
    probe: options.probe,
  };
}
