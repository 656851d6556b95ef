/**
 * Recognises directory listings (`tree`, `ls -l`, `ls -R`, `du`, and plain path lists from
 * `find`, `ls -1`, `git ls-files`) and turns them into entries with path segments, so collapsing
 * and re-rendering can work the same way on all of them.
 * @module
 */

/** The listing formats understood. */
export type ListingFormat = "tree" | "ls-long" | "ls-recursive" | "du" | "paths";

/** One listed file or directory. */
export interface ListingEntry {
  /** Index of its line in the input. */
  readonly line: number;
  /** Path segments from the listing's root down to the entry's own name. */
  readonly segments: string[];
  /** Depth in a `tree` drawing (1 for the root's children); 0 elsewhere. */
  readonly depth: number;
  /** The entry's own text (its name, or `ls -l` fields, or a `du` size). */
  readonly fields: string[];
  /** `segments` joined with "/", and the same without the last segment. */
  readonly key: string;
  readonly parent: string;
}

/**
 * Builds an entry, computing its path keys once (`key` and `parent` when the caller knows them:
 * the very string its parent entry has as key hashes once for every map it goes in).
 */
function makeEntry(
  line: number,
  segments: string[],
  depth: number,
  fields: string[],
  key = segments.join("/"),
  parent?: string,
): ListingEntry {
  if (parent === undefined) {
    const last = segments[segments.length - 1] ?? "";
    parent = segments.length > 1 ? key.slice(0, key.length - last.length - 1) : "";
  }
  return { line, segments, depth, fields, key, parent };
}

/** A parsed listing: the input lines and the entries found among them. */
export interface Listing {
  readonly format: ListingFormat;
  readonly lines: string[];
  readonly entries: ListingEntry[];
}

/**
 * Whether a line holds a tree connector ("├── ", "└── ", "|-- ", "`-- ") anywhere: each ends with
 * a space, so only the three characters before each space are looked at (searching for each
 * connector in turn took a tenth of the compression of a drawing).
 */
function hasTreeConnector(line: string): boolean {
  for (let i = line.indexOf(" ", 3); i >= 0; i = line.indexOf(" ", i + 1)) {
    const a = line.charCodeAt(i - 3);
    const b = line.charCodeAt(i - 2);
    const c = line.charCodeAt(i - 1);
    if (b === DASH && c === DASH && (a === TEE || a === ELBOW)) return true;
    if (b === 45 && c === 45 && (a === 124 || a === 96)) return true;
  }
  return false;
}

/**
 * `ls -l` line: mode, links, owner, group, size (or `major, minor`), date (`Jan  1 12:00`,
 * `Jan  1  2023`, `1 Jan 12:00`, or ISO), then the name. Each field is a run of non-spaces, so
 * matching stays linear.
 */
const LS_LONG =
  /^([-bcdlpsDn?][-rwxsStTlL.?]{9}[.+@]?) +(\d+) +(\S+) +(\S+) +(\d+, *\d+|\S+) +((?:[A-Z][a-z]{2}\.? +\d{1,2}|\d{1,2} +[A-Z][a-z]{2}\.?) +(?:\d{1,2}:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: [+-]\d{4})?)?) (.*)$/;

const DU_LINE = /^(\d+(?:[.,]\d+)?[KMGTPE]?)\t(.+)$/;

const SECTION_HEADER = /^\S.*:$/;

/** SECTION_HEADER.test, after the cheap check of its last character (most lines fail it). */
function isSectionHeader(line: string): boolean {
  return line.endsWith(":") && SECTION_HEADER.test(line);
}

/** No leading, trailing or doubled slash: splitting at "/" leaves no empty segment to drop. */
function hasPlainSlashes(path: string): boolean {
  const last = path.length - 1;
  return path.charCodeAt(0) !== 47 && path.charCodeAt(last) !== 47 && !path.includes("//");
}

/** Splits a path into segments (a leading "/" stays on the first one). */
function splitPath(path: string): string[] {
  // The usual case, and the only one that needs no cleaning up.
  if (hasPlainSlashes(path)) return path.split("/");
  // `src/` (a folder marked by ls -p, fd) keeps its slash on its last segment.
  if (path.length > 1 && path.endsWith("/")) {
    const parts = splitPath(path.slice(0, -1));
    parts[parts.length - 1] += "/";
    return parts;
  }
  const parts = path.split("/");
  if (parts[0] === "" && parts.length > 1) {
    parts.shift();
    parts[0] = `/${parts[0]}`;
  }
  return parts.filter((part, i) => part !== "" || i === parts.length - 1);
}

/** An entry for a listed path; a path with plain slashes is its own key (no join). */
function pathEntry(line: number, path: string, fields: string[]): ListingEntry {
  if (hasPlainSlashes(path)) return makeEntry(line, path.split("/"), 0, fields, path);
  return makeEntry(line, splitPath(path), 0, fields);
}

const BAR = 0x2502; // │
const TEE = 0x251c; // ├
const ELBOW = 0x2514; // └
const DASH = 0x2500; // ─

/**
 * Which unit of a `tree` drawing starts at `pos` (all are four characters ending in a space): 1
 * for a continuation ("│   ", "|   ", "    "), 2 for a connector ("├── ", "`-- "...), 0 for none.
 * Compared code by code: trying each unit with startsWith took most of the parse of a drawing.
 */
function treeUnitAt(line: string, pos: number): 0 | 1 | 2 {
  if (!isTreeSpace(line.charCodeAt(pos + 3))) return 0;
  const a = line.charCodeAt(pos);
  const b = line.charCodeAt(pos + 1);
  const c = line.charCodeAt(pos + 2);
  if (isTreeSpace(b) && isTreeSpace(c)) return a === BAR || a === 124 || isTreeSpace(a) ? 1 : 0;
  if (b === DASH && c === DASH) return a === TEE || a === ELBOW ? 2 : 0;
  if (b === 45 && c === 45) return a === 124 || a === 96 ? 2 : 0;
  return 0;
}

/** A space, or the no-break space `tree` draws with in some locales. */
function isTreeSpace(code: number): boolean {
  return code === 32 || code === 0xa0;
}

/** Reads a `tree` line's prefix: its depth and where the name starts; undefined if none. */
function treePrefix(line: string): { depth: number; start: number } | undefined {
  let pos = 0;
  let depth = 0;
  for (;;) {
    const unit = treeUnitAt(line, pos);
    if (unit === 0) return undefined;
    pos += 4;
    depth++;
    if (unit === 2) return { depth, start: pos };
    if (depth > 200) return undefined;
  }
}

function parseTree(lines: string[]): Listing | undefined {
  const entries: ListingEntry[] = [];
  // The current path (the root first, when there is one) and the joined key of each of its
  // prefixes, so an entry's key is its parent's plus its name rather than a join of every segment.
  const path: string[] = [];
  const keys: string[] = [];
  let base = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prefix = treePrefix(line);
    if (!prefix) {
      if (entries.length === 0 && line.trim() !== "") {
        path[0] = line.trim();
        keys[0] = path[0];
        base = 1;
      }
      continue;
    }
    const name = line.slice(prefix.start);
    // A drawing whose head was cut off starts deeper than its parents: name them "…", since
    // a hole in the path would break every later walk over its segments.
    const at = base + prefix.depth - 1;
    for (let d = path.length; d < at; d++) setSegment(path, keys, d, "…");
    path.length = at;
    keys.length = at;
    setSegment(path, keys, at, name);
    const parent = at > 0 ? keys[at - 1] : "";
    entries.push(makeEntry(i, path.slice(), prefix.depth, [name], keys[at], parent));
  }
  return { format: "tree", lines, entries };
}

/** Sets segment `d` of `path` and the key of the path up to it. */
function setSegment(path: string[], keys: string[], d: number, name: string): void {
  path[d] = name;
  keys[d] = d === 0 ? name : `${keys[d - 1]}/${name}`;
}

function parseLsLong(lines: string[]): Listing {
  const entries: ListingEntry[] = [];
  let section: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const match = LS_LONG.exec(line);
    if (match) {
      const fields = match.slice(1, 8) as string[];
      // A symlink's name is what comes before " -> target".
      const arrow = fields[0]!.startsWith("l") ? fields[6]!.indexOf(" -> ") : -1;
      const name = arrow > 0 ? fields[6]!.slice(0, arrow) : fields[6]!;
      entries.push(makeEntry(i, [...section, name], 0, fields));
    } else if (isSectionHeader(line) && !line.startsWith("total ")) {
      section = splitPath(line.slice(0, -1));
    }
  }
  return { format: "ls-long", lines, entries };
}

function parseLsRecursive(lines: string[]): Listing {
  const entries: ListingEntry[] = [];
  let section: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") {
      section = undefined;
      continue;
    }
    if (section === undefined && isSectionHeader(line)) {
      section = splitPath(line.slice(0, -1));
      continue;
    }
    entries.push(makeEntry(i, [...(section ?? []), line], 0, [line]));
  }
  return { format: "ls-recursive", lines, entries };
}

/** Two or more commas, or a semicolon: a CSV row rather than a file's path (tabs never pass). */
function isDelimitedRecord(line: string): boolean {
  const comma = line.indexOf(",");
  if (comma >= 0 && line.indexOf(",", comma + 1) >= 0) return true;
  return line.includes(";");
}

/** No leading whitespace, no run of it and no tab, and not too long: a path on its own. */
function isPathLike(line: string): boolean {
  return !/^\s/.test(line) && line.length <= 4096 && !/\s{2,}|\t/.test(line);
}

/** Recognises the listing format of `lines` (no trailing empty line); undefined if none fits. */
export function parseListing(lines: string[]): Listing | undefined {
  const nonEmpty = lines.filter((line) => line.trim() !== "");
  if (nonEmpty.length < 3) return undefined;
  let tree = 0;
  let long = 0;
  let du = 0;
  let headers = 0;
  for (const line of nonEmpty) {
    if (hasTreeConnector(line)) tree++;
    else if (LS_LONG.test(line)) long++;
    else if (DU_LINE.test(line)) du++;
    if (isSectionHeader(line)) headers++;
  }
  const n = nonEmpty.length;
  if (tree >= n * 0.6) return parseTree(lines);
  if (long >= n * 0.6) return parseLsLong(lines);
  if (du >= n * 0.9) {
    const entries = lines.flatMap((line, i) => {
      const match = DU_LINE.exec(line);
      return match ? [pathEntry(i, match[2]!, [match[1]!, match[2]!])] : [];
    });
    return { format: "du", lines, entries };
  }
  if (headers >= 2 && lines.includes("")) return parseLsRecursive(lines);
  const spaced = nonEmpty.filter((line) => line.includes(" ")).length;
  // "2026-10-01,SKU-100,store-0,72,900.00" has no spaces either, but it is a record, not a path.
  const records = nonEmpty.filter(isDelimitedRecord).length;
  // Checked only here: most listings are drawings or ls -l rows, told apart above.
  const pathLike = nonEmpty.every(isPathLike);
  if (pathLike && !lines.includes("") && spaced <= n * 0.1 && records <= n * 0.5) {
    const entries = lines.map((line, i) => pathEntry(i, line, [line]));
    return { format: "paths", lines, entries };
  }
  return undefined;
}
