/**
 * Writes a listing back compactly: `tree` drawings as indentation, `ls -l` rows single-spaced
 * with the columns every entry shares stated once, `ls -R` sections and runs of paths in one
 * folder on one line. Hidden entries are skipped and their notes printed in their place.
 * @module
 */

import type { Listing, ListingEntry } from "./listing-parse.ts";

/** The `ls -l` columns that may be stated once for all entries. */
const LS_SHARED_COLUMNS = ["mode", "links", "owner", "group"];

/** Quotes a name that holds whitespace or a quote, or is empty, so space-joined lists stay clear. */
function quoteName(name: string): string {
  return name === "" || /[\s"]/.test(name) ? JSON.stringify(name) : name;
}

/** `ls -l` columns (0-3) with one value across all entries. */
function sharedLsColumns(entries: readonly ListingEntry[]): number[] {
  if (entries.length < 3) return [];
  const shared: number[] = [];
  for (let c = 0; c < LS_SHARED_COLUMNS.length; c++) {
    const value = entries[0]!.fields[c];
    if (entries.every((entry) => entry.fields[c] === value)) shared.push(c);
  }
  return shared;
}

const INDENTS = ["", "  ", "    ", "      ", "        ", "          ", "            "];

/** `count` levels of two-space indentation (the usual depths without a new string each time). */
function indent(count: number): string {
  return INDENTS[count] ?? "  ".repeat(count);
}

/**
 * Renders the listing, skipping `hidden` entries and printing `notes` where they were; `pinned`
 * path-list entries (matches of the question) keep their own full line instead of joining a
 * `folder/: a b c` run, so the path the user asked for is there verbatim; `noteDepths` indents
 * `tree` notes that stand for a folder's content.
 */
export function renderListing(
  listing: Listing,
  hidden: Uint8Array | undefined,
  notes: ReadonlyMap<number, string>,
  pinned?: Uint8Array,
  noteDepths?: ReadonlyMap<number, number>,
): string {
  const { lines, entries, format } = listing;
  const entryAt = new Int32Array(lines.length).fill(-1);
  for (let i = 0; i < entries.length; i++) entryAt[entries[i]!.line] = i;
  const out: string[] = [];
  const shared = format === "ls-long" ? sharedLsColumns(entries) : [];
  if (shared.length > 0) {
    const first = entries[0]!.fields;
    out.push(
      `# every entry: ${shared.map((c) => `${LS_SHARED_COLUMNS[c]}=${first[c]}`).join(", ")}`,
    );
  }
  // A run of names printed on one line: `folder/: a b c` (paths) or `folder: a b c` (ls -R).
  let runKey: string | undefined;
  let runHeader = "";
  let runNames: string[] = [];
  let runFirstLine = "";
  let runFirstKey = "";
  const flush = () => {
    if (format === "paths") {
      if (runNames.length === 1) out.push(runFirstLine);
      else if (runNames.length > 1) out.push(`${runHeader}${runNames.join(" ")}`);
    } else if (runNames.length > 0) {
      out.push(`${runHeader}${runNames.join(" ")}`);
    } else if (runKey !== undefined && runHeader !== "") {
      // An empty folder still shows its header.
      out.push(runHeader.trimEnd());
    }
    runKey = undefined;
    runNames = [];
  };

  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    const i = entryAt[l]!;
    if (i < 0) {
      if (format === "ls-recursive") {
        // Section headers open a run; blank separators are implied by the next header.
        if (line !== "") {
          flush();
          runKey = line;
          runHeader = `${line} `;
        }
        continue;
      }
      flush();
      out.push(line);
      continue;
    }
    const entry = entries[i]!;
    const note = notes.get(i);
    if (note !== undefined) {
      const key = runKey;
      const header = runHeader;
      flush();
      const depth = noteDepths?.get(i) ?? entry.depth;
      out.push(format === "tree" ? `${"  ".repeat(Math.max(0, depth - 1))}${note}` : note);
      if (format === "ls-recursive" && key !== undefined) {
        runKey = key;
        runHeader = header;
      }
    }
    if (hidden?.[i]) continue;
    switch (format) {
      case "tree":
        out.push(`${indent(entry.depth - 1)}${entry.fields[0]}`);
        break;
      case "ls-long": {
        const cells = entry.fields.map((field, c) => (c === 5 ? field.replace(/ +/g, " ") : field));
        out.push(cells.filter((_, c) => !shared.includes(c)).join(" "));
        break;
      }
      case "ls-recursive":
        if (runKey === undefined) {
          runKey = "";
          runHeader = "";
        }
        runNames.push(quoteName(entry.fields[0]!));
        break;
      case "paths": {
        if (pinned?.[i]) {
          flush();
          out.push(line);
          break;
        }
        const folder = entry.parent;
        const name = entry.segments[entry.segments.length - 1]!;
        if (runKey !== folder) {
          // A folder printed just before its own contents is implied by their `folder/:` line.
          if (runNames.length === 1 && runFirstKey === folder) runNames = [];
          flush();
          runKey = folder;
          runHeader = folder === "" ? "" : `${folder}/: `;
          runFirstLine = line;
          runFirstKey = entry.key;
        }
        runNames.push(quoteName(name));
        break;
      }
      default:
        out.push(line);
    }
  }
  flush();
  return out.join("\n");
}
