/**
 * The listing compressor (`tree`, `ls -l`, `ls -R`, `find`/`ls -1`/`git ls-files` path lists,
 * `du`). Lossless: tree drawings become indentation, `ls -l` padding and shared columns go, and
 * runs of entries of one folder share one line. Lossy: the contents of dependency, VCS and build
 * folders, long runs of same-type files and the deepest subtrees of huge listings become counts,
 * while the entries that best match the question stay, each path list match on its own line.
 * @module
 */

import { collapseListing } from "./listing-collapse.ts";
import { compressNpmTree } from "./listing-npm.ts";
import { type Listing, parseListing } from "./listing-parse.ts";
import { renderListing } from "./listing-render.ts";
import { queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.85;

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

const SIZE_UNITS = "BKMGTPE";

/** Reads a `du` size (`4.0K`, `1,5M`, `512`) as a number of kilobyte-ish units for ranking. */
function diskSize(text: string): number {
  const unit = SIZE_UNITS.indexOf(text.slice(-1).toUpperCase());
  const number = Number.parseFloat((unit >= 0 ? text.slice(0, -1) : text).replace(",", "."));
  if (Number.isNaN(number)) return 0;
  return unit >= 0 ? number * 1024 ** (unit - 1) : number;
}

/** Says, per entry, whether it is a folder (by its mode, or because others are listed in it). */
function folderTest(listing: Listing): (index: number) => boolean {
  const { entries, format } = listing;
  if (format === "ls-long") return (i) => entries[i]!.fields[0]!.startsWith("d");
  if (format === "tree") {
    return (i) => {
      const next = entries[i + 1];
      return next !== undefined && next.depth > entries[i]!.depth;
    };
  }
  // Every folder some entry sits in (walking up from each parent until a known one).
  const parents = new Set<string>();
  for (const entry of entries) {
    let folder = entry.parent;
    while (folder !== "" && !parents.has(folder)) {
      parents.add(folder);
      const cut = folder.lastIndexOf("/");
      folder = cut <= 0 ? "" : folder.slice(0, cut);
    }
  }
  return (i) => {
    const entry = entries[i]!;
    return entry.key.endsWith("/") || parents.has(entry.key);
  };
}

function compressListingText(input: string, ctx: CompressContext): CompressOutput | undefined {
  let end = input.length;
  while (end > 0 && (input[end - 1] === "\n" || input[end - 1] === "\r")) end--;
  const body = input.slice(0, end);
  const tail = input.slice(body.length) === "" ? "" : "\n";
  const listing = parseListing(body.split(/\r?\n/));
  if (!listing || listing.entries.length < 3) return undefined;
  const losslessText = renderListing(listing, undefined, new Map()) + tail;
  let best: CompressOutput | undefined =
    losslessText.length < input.length
      ? { text: losslessText, strategy: `listing:${listing.format}-compact`, lossy: false }
      : undefined;
  if (!ctx.lossy) return best;

  const sizes =
    listing.format === "du" ? (i: number) => diskSize(listing.entries[i]!.fields[0]!) : undefined;
  const collapse = collapseListing(
    listing.entries,
    queryTerms(ctx.query),
    folderTest(listing),
    sizes,
  );
  const omitted =
    collapse.heavy + collapse.sameType + collapse.deep + collapse.smaller + collapse.tail;
  if (omitted === 0) return best;
  const parts: string[] = [];
  if (collapse.heavy > 0) {
    parts.push(
      `${formatCount(collapse.heavy)} inside ${collapse.heavyNames.map((name) => `${name}/`).join(" ")}`,
    );
  }
  if (collapse.sameType > 0)
    parts.push(`${formatCount(collapse.sameType)} in long runs of same-type files`);
  if (collapse.deep > 0) parts.push(`${formatCount(collapse.deep)} in deep subfolders`);
  if (collapse.smaller > 0) parts.push(`${formatCount(collapse.smaller)} smaller entries`);
  if (collapse.tail > 0) parts.push(`${formatCount(collapse.tail)} further entries`);
  const summary = `${formatCount(omitted)} of ${formatCount(listing.entries.length)} listing entries omitted (${parts.join(", ")}); counts are shown in place`;
  const rendered = renderListing(
    listing,
    collapse.hidden,
    collapse.notes,
    collapse.pinned,
    collapse.noteDepths,
  );
  const lossyText = `${rendered}\n${ctx.marker(summary)}${tail}`;
  const baseline = best ? best.text.length : input.length;
  if (lossyText.length <= baseline * LOSSY_GAIN) {
    best = { text: lossyText, strategy: `listing:${listing.format}-collapse`, lossy: true };
  }
  return best;
}

/** `npm ls` trees have their own reader; the trailing line break is kept. */
function compressNpmListing(input: string, ctx: CompressContext): CompressOutput | undefined {
  // npm ls starts with the project (`name@version path`) and draws with box characters.
  if (!input.slice(0, 2000).includes("─")) return undefined;
  const body = input.endsWith("\n") ? input.slice(0, -1) : input;
  const out = compressNpmTree(body.split("\n"), ctx);
  if (!out) return undefined;
  return { ...out, text: out.text + input.slice(body.length) };
}

/** Compresses directory listings: compact layout losslessly, counted folds when lossy. */
export const compressListing: Compressor = (input, ctx) => {
  try {
    return compressNpmListing(input, ctx) ?? compressListingText(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("listing", error);
    return undefined;
  }
};
