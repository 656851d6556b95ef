/**
 * Compresses one tool output: detects what it is, hands it to that kind's compressor, and keeps
 * the result only if it is shorter, honours the lossless setting, and carries its marker when it
 * dropped anything. Any compressor failure returns nothing, so the original goes (fail open).
 * @module
 */

import { detectContent } from "./detect.ts";
import { compressDiff } from "./diff.ts";
import { compressEnveloped } from "./envelope/compress-enveloped.ts";
import { compressGit } from "./git.ts";
import { compressHtml } from "./html.ts";
import { compressInstall } from "./install.ts";
import { compressJson } from "./json/compress-json.ts";
import { compressListing } from "./listing.ts";
import { compressLogFamily } from "./log-family.ts";
import { formatMarker } from "./marker.ts";
import type { CompressProbe } from "./probe.ts";
import { compressSearch } from "./search.ts";
import { compressTable } from "./table.ts";
import type { Compressor, ContentKind } from "./types.ts";

/** The compressor of each kind. Source code and prose have none: the model needs them as they are. */
export const COMPRESSORS: Partial<Record<ContentKind, Compressor>> = {
  json: compressJson,
  log: compressLogFamily,
  search: compressSearch,
  diff: compressDiff,
  git: compressGit,
  install: compressInstall,
  listing: compressListing,
  table: compressTable,
  html: compressHtml,
};

/** What {@link compressText} needs besides the text. */
export interface TextCompressionOptions {
  readonly query: string;
  readonly lossy: boolean;
  /** The store key of `text` (the marker hash): 24 hex digits of its SHA-256. */
  readonly hash: () => string;
  /** `text` is a Read of a saved command output (see Slot.savedOutput), never an edited file. */
  readonly savedOutput?: boolean | undefined;
  /** Sees what tests look for (see probe.ts); production passes none. */
  readonly probe?: CompressProbe | undefined;
}

/** A kept compression of one tool output. */
export interface TextCompression {
  readonly text: string;
  readonly kind: ContentKind;
  readonly strategy: string;
  readonly lossy: boolean;
}

/**
 * Compresses `text`, or returns undefined when nothing worth keeping came out. An agent's framing
 * around the output (numbered Read lines, an exec header, a cut, terminal noise) is seen through
 * first: see envelope/compress-enveloped.ts.
 */
export function compressText(
  text: string,
  options: TextCompressionOptions,
): TextCompression | undefined {
  return compressEnveloped(text, options, compressBareText);
}

/** Compresses a text with no framing around it: detection, then that kind's compressor. */
export function compressBareText(
  text: string,
  options: TextCompressionOptions,
): TextCompression | undefined {
  let kind: ContentKind;
  try {
    kind = detectContent(text, options.probe);
  } catch (error) {
    options.probe?.swallowed?.("detect", error);
    return undefined;
  }
  const compressor = COMPRESSORS[kind];
  if (!compressor) return undefined;
  let output: ReturnType<Compressor>;
  try {
    output = compressor(text, {
      query: options.query,
      lossy: options.lossy,
      marker: (summary) => formatMarker(summary, options.hash()),
      probe: options.probe,
    });
  } catch (error) {
    options.probe?.swallowed?.(kind, error);
    return undefined;
  }
  if (!output || output.text.length >= text.length) return undefined;
  const markerIn = `hash=${options.hash()}`;
  const carriesMarker = output.text.includes(markerIn) && !text.includes(markerIn);
  // A lossless result may not carry a marker, and a lossy one must: otherwise nothing redeems it.
  if (output.lossy ? !options.lossy || !carriesMarker : carriesMarker) return undefined;
  return { text: output.text, kind, strategy: output.strategy, lossy: output.lossy };
}
