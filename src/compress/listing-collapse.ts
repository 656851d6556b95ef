/**
 * Lossy collapsing of a listing: what goes inside dependency/VCS/build folders, long runs of
 * same-type files in one folder, and (when the listing is still huge) the deepest subtrees are
 * replaced by counted notes. The best matches of the question are never hidden, even inside a
 * folded node_modules, and equally good matches elsewhere stay too (up to a bound).
 * @module
 */

import { PairKeys, PrefixKeys } from "./listing-keys.ts";
import type { ListingEntry } from "./listing-parse.ts";
import { rankQueryMatches } from "./listing-query.ts";

/** Folders whose contents are almost never worth listing entry by entry. */
const HEAVY_DIRS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  "__pycache__",
  ".venv",
  "venv",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".next",
  ".nuxt",
  ".svelte-kit",
  ".turbo",
  ".parcel-cache",
  ".angular",
  ".cache",
  ".gradle",
  ".idea",
  "dist",
  "build",
  "target",
  "coverage",
  ".nyc_output",
  "vendor",
  "bower_components",
  "site-packages",
  ".terraform",
  "Pods",
  "DerivedData",
  "obj",
]);

/** Same-extension files of one folder beyond this many are collapsed (source files are names
 * worth reading, so the limit is high; assets and build products fold much sooner). */
const SAME_TYPE_LIMIT = 60;
const ASSET_LIMIT = 12;
const SAME_TYPE_HEAD = 4;
const ASSET_EXTENSIONS = new Set(
  (
    ".png .jpg .jpeg .gif .webp .avif .bmp .ico .svg .tif .tiff .heic .psd .woff .woff2 .ttf .otf .eot " +
    ".mp3 .mp4 .m4a .wav .ogg .flac .webm .mov .avi .pyc .pyo .o .obj .class .jar .so .dll .dylib .a " +
    ".lib .map .log .tmp .bak .swp .gz .tgz .zip .xz .bz2 .7z .rar .whl .pdf .snap .cache .d .dat .bin"
  ).split(" "),
);
/** Entries shown at most after collapsing (matches of the question come on top). */
const MAX_VISIBLE = 150;
const MIN_SUBTREE = 8;
/** A heavy folder with fewer entries inside is cheaper to show than to fold. */
const MIN_HEAVY = 3;
/** The best matches of the question always stay, wherever they are. */
const PIN_BEST = 8;
/** Further matches that are as good as the best one stay outside heavy folders, up to this many. */
const PIN_MAX = 60;

/** What collapsing decided. */
export interface Collapse {
  readonly hidden: Uint8Array;
  /** Notes to print in place of the first hidden entry of each collapsed group. */
  readonly notes: Map<number, string>;
  /** Indentation depth of a `tree` note that stands for a whole folder's remaining content. */
  readonly noteDepths: Map<number, number>;
  /** Entries kept because they match the question (1), which rendering spells out in full. */
  readonly pinned: Uint8Array;
  readonly heavy: number;
  readonly sameType: number;
  readonly deep: number;
  readonly smaller: number;
  readonly tail: number;
  readonly heavyNames: string[];
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `1 entry`, `12 entries`. */
function countEntries(n: number, adjective = ""): string {
  return `${formatCount(n)} ${adjective}${n === 1 ? "entry" : "entries"}`;
}

/** The extension used to group files: `.ts`, `.tar.gz` counts as `.gz`; "" when none. */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.length - dot > 12) return "";
  return name.slice(dot);
}

/** Leading segments shared by every entry (the listing's own root, never folded). */
function commonDepth(entries: readonly ListingEntry[]): number {
  if (entries.length === 0) return 0;
  let depth = entries[0]!.segments.length;
  const first = entries[0]!.segments;
  for (const entry of entries) {
    const limit = Math.min(depth, entry.segments.length);
    let d = 0;
    while (d < limit && entry.segments[d] === first[d]) d++;
    depth = d;
    if (depth === 0) break;
  }
  return depth;
}

/**
 * The question's matches that must stay: the PIN_BEST best ones anywhere (inside node_modules
 * too), then those as good as the best outside heavy folders, up to PIN_MAX. In a `tree` drawing
 * a kept entry's folders stay as well, since its indentation alone does not say where it is.
 */
function pinMatches(
  entries: readonly ListingEntry[],
  terms: readonly string[],
  inHeavy: Uint8Array,
): Uint8Array {
  const pinned = new Uint8Array(entries.length);
  const ranked = rankQueryMatches(entries, terms);
  const best = ranked[0];
  if (!best) return pinned;
  let count = 0;
  for (let r = 0; r < ranked.length && count < PIN_MAX; r++) {
    const match = ranked[r]!;
    const asGood = match.terms === best.terms && match.nameTerms > 0 && !inHeavy[match.index];
    if (r >= PIN_BEST && !asGood) continue;
    pinned[match.index] = 1;
    count++;
  }
  if (entries.some((entry) => entry.depth > 0)) pinTreeAncestors(entries, pinned);
  return pinned;
}

/** Pins the folder lines above every pinned entry of a `tree` drawing. */
function pinTreeAncestors(entries: readonly ListingEntry[], pinned: Uint8Array): void {
  // Walking backwards, the nearest earlier entry one level up is the parent folder.
  let need = 0; // depth whose folder line is still wanted (0: none)
  for (let i = entries.length - 1; i >= 0; i--) {
    const depth = entries[i]!.depth;
    if (need > 0 && depth === need) {
      pinned[i] = 1;
      need = depth - 1;
    }
    if (pinned[i] && depth - 1 > need) need = depth - 1;
  }
}

/** Decides which entries to hide; `isDir` says whether an entry is a folder. */
export function collapseListing(
  entries: readonly ListingEntry[],
  terms: readonly string[],
  isDir: (index: number) => boolean,
  sizeOf?: (index: number) => number,
): Collapse {
  const n = entries.length;
  const hidden = new Uint8Array(n);
  const notes = new Map<number, string>();
  const noteDepths = new Map<number, number>();
  const base = commonDepth(entries);
  let heavy = 0;
  let sameType = 0;
  let deep = 0;
  let smaller = 0;
  let tail = 0;
  const heavyNames = new Set<string>();

  /**
   * Hides the given entries as one group with a note at the first one; `folderSegments` names
   * the folder the group fills, so a `tree` note is indented as that folder's content even when
   * a kept match splits the group.
   */
  function hideGroup(
    members: readonly number[],
    note: (count: number) => string,
    folderSegments?: number,
  ): number {
    const victims = members.filter((i) => !hidden[i] && !pinned[i]);
    if (victims.length === 0) return 0;
    for (const i of victims) hidden[i] = 1;
    const first = victims[0]!;
    notes.set(first, note(victims.length));
    const { depth, segments } = entries[first]!;
    if (folderSegments !== undefined && depth > 0) {
      noteDepths.set(first, Math.max(1, depth - (segments.length - folderSegments) + 1));
    }
    return victims.length;
  }

  // 1. Contents of dependency, VCS and build folders.
  const heavyGroups = new Map<string, number[]>();
  const heavySegments = new Map<string, number>();
  const heavyKeys = new PrefixKeys();
  for (let i = 0; i < n; i++) {
    const segments = entries[i]!.segments;
    for (let j = base; j < segments.length - 1; j++) {
      if (!HEAVY_DIRS.has(segments[j]!)) continue;
      let length = j;
      for (let d = 0; d <= j; d++) length += segments[d]!.length;
      const key = heavyKeys.prefix(0, entries[i]!.key, length);
      const group = heavyGroups.get(key);
      if (group) group.push(i);
      else heavyGroups.set(key, [i]);
      heavySegments.set(key, j + 1);
      break;
    }
  }
  const inHeavy = new Uint8Array(n);
  for (const members of heavyGroups.values()) {
    if (members.length >= MIN_HEAVY) for (const i of members) inHeavy[i] = 1;
  }
  const pinned = pinMatches(entries, terms, inHeavy);
  for (const [key, members] of heavyGroups) {
    if (members.length < MIN_HEAVY) continue;
    const count = hideGroup(
      members,
      (c) => `(${countEntries(c)} under ${key}/ omitted)`,
      heavySegments.get(key),
    );
    if (count > 0) heavyNames.add(key.slice(key.lastIndexOf("/") + 1));
    heavy += count;
  }

  // 2. Long runs of same-type files in one folder.
  const typeGroups = new Map<string, number[]>();
  const typeKeys = new PairKeys();
  for (let i = 0; i < n; i++) {
    if (hidden[i] || isDir(i)) continue;
    const entry = entries[i]!;
    const name = entry.segments[entry.segments.length - 1]!;
    const key = typeKeys.join(entry.parent, extensionOf(name));
    const group = typeGroups.get(key);
    if (group) group.push(i);
    else typeGroups.set(key, [i]);
  }
  for (const [key, members] of typeGroups) {
    const [folder, ext] = key.split("\u0000") as [string, string];
    const limit = ASSET_EXTENSIONS.has(ext.toLowerCase()) ? ASSET_LIMIT : SAME_TYPE_LIMIT;
    if (members.length <= limit) continue;
    const where = folder === "" ? "" : ` in ${folder}/`;
    const kind = ext === "" ? "files without extension" : `*${ext} files`;
    const middle = members.slice(SAME_TYPE_HEAD, -1);
    sameType += hideGroup(
      middle,
      (count) => `(${formatCount(count)} more ${kind}${where} omitted)`,
    );
  }

  let visible = 0;
  for (let i = 0; i < n; i++) if (!hidden[i]) visible++;
  // 3a. Disk usage: keep the top level and the biggest entries; runs of the rest become counts.
  if (sizeOf && visible > MAX_VISIBLE) {
    const ranked: number[] = [];
    // Each size is read once: parsing it inside the comparison cost a third of the time.
    const size = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (hidden[i]) continue;
      ranked.push(i);
      size[i] = sizeOf(i);
    }
    ranked.sort((a, b) => size[b]! - size[a]! || a - b);
    const keep = new Uint8Array(n);
    for (const i of ranked.slice(0, Math.floor(MAX_VISIBLE / 2))) keep[i] = 1;
    for (let i = 0; i < n; i++) if (entries[i]!.segments.length <= base + 1) keep[i] = 1;
    let run: number[] = [];
    const closeRun = () => {
      // A note for a single entry would cost as much as the entry itself.
      if (run.length < 2) {
        run = [];
        return;
      }
      const count = hideGroup(run, (c) => `(${countEntries(c, "smaller ")} omitted)`);
      smaller += count;
      visible -= count;
      run = [];
    };
    for (let i = 0; i < n; i++) {
      if (hidden[i]) continue;
      if (keep[i] || pinned[i]) closeRun();
      else run.push(i);
    }
    closeRun();
  }
  // 3b. Still too long: fold the deepest big subtrees first.
  if (visible > MAX_VISIBLE) {
    const byFolder = new Map<string, number[]>();
    const folderSegments = new Map<string, number>();
    const folderKeys = new PrefixKeys();
    for (let i = 0; i < n; i++) {
      if (hidden[i]) continue;
      const { segments, key: full } = entries[i]!;
      // Folder keys are prefixes of the entry's key: measure them by segment lengths.
      let length = -1;
      for (let d = 0; d < segments.length - 1; d++) {
        length += segments[d]!.length + 1;
        if (d < base) continue;
        const key = folderKeys.prefix(d, full, length);
        const group = byFolder.get(key);
        if (group) group.push(i);
        else byFolder.set(key, [i]);
        folderSegments.set(key, d + 1);
      }
    }
    const folders = [...byFolder.entries()]
      .map(([key, members]) => ({ key, members, depth: key.split("/").length }))
      .filter((f) => f.members.length >= MIN_SUBTREE)
      .sort(
        (a, b) =>
          b.depth - a.depth || b.members.length - a.members.length || (a.key < b.key ? -1 : 1),
      );
    for (const folder of folders) {
      if (visible <= MAX_VISIBLE) break;
      const count = hideGroup(
        folder.members,
        (c) => `(${countEntries(c)} under ${folder.key}/ omitted)`,
        folderSegments.get(folder.key),
      );
      deep += count;
      visible -= count;
    }
  }

  // 4. Last resort: keep the head and the end.
  if (visible > MAX_VISIBLE) {
    const shown: number[] = [];
    for (let i = 0; i < n; i++) if (!hidden[i]) shown.push(i);
    const head = Math.floor((MAX_VISIBLE * 2) / 3);
    const end = MAX_VISIBLE - head;
    tail = hideGroup(
      shown.slice(head, shown.length - end),
      (c) => `(${countEntries(c, "more ")} omitted)`,
    );
  }
  return {
    hidden,
    notes,
    noteDepths,
    pinned,
    heavy,
    sameType,
    deep,
    smaller,
    tail,
    heavyNames: [...heavyNames].sort(),
  };
}
