/**
 * A line-level parser for unified diffs (git diff/show/log -p, diff -u, combined `--cc` diffs):
 * it tags every line with its role and finds file sections and hunks, so compressors can drop or
 * rewrite lines while keeping everything else byte-identical.
 * @module
 */

/** What a line of a diff is. */
export const Role = {
  /** Anything outside a file section's headers and hunks: commit headers, messages, stats. */
  Text: 0,
  /** `diff --git a/x b/x`, `diff --cc x`, `diff -u x y`. */
  FileHeader: 1,
  /** `index abc..def 100644`. */
  Index: 2,
  /** Other extended headers: modes, renames, copies, similarity, `Binary files ... differ`. */
  Extended: 3,
  /** `--- a/x`. */
  Minus: 4,
  /** `+++ b/x`. */
  Plus: 5,
  /** `GIT binary patch` and its base85 payload. */
  Binary: 6,
  /** `@@ -a,b +c,d @@`. */
  HunkHeader: 7,
  /** A line inside a hunk. */
  HunkBody: 8,
} as const;

/** One hunk: its header numbers and the range of its body lines. */
export interface DiffHunk {
  readonly file: number;
  readonly headerLine: number;
  readonly bodyStart: number;
  /** Exclusive end of the body. */
  readonly bodyEnd: number;
  /** Number of parents: 1 for a plain diff, 2+ for a combined diff. */
  readonly parents: number;
  /** First line of each parent's range, as the header gives it. */
  readonly oldStarts: readonly number[];
  readonly oldLens: readonly number[];
  readonly newStart: number;
  readonly newLen: number;
  /** Text after the closing `@@` (function context), line ending included. */
  readonly section: string;
}

/** One file section of the diff. */
export interface DiffFile {
  /** Line of `diff ...` or of `---` for a header-less `diff -u`; -1 for bare hunks. */
  readonly headerLine: number;
  /** The best-known path of the file (new side unless deleted). */
  path: string;
  minusLine: number;
  plusLine: number;
  /** Line of `index ...`, -1 when none. */
  indexLine: number;
  /** How many other extended header lines (modes, renames, ...) the file has. */
  extendedCount: number;
  newFile: boolean;
  deletedFile: boolean;
  binary: boolean;
  firstHunk: number;
  hunkCount: number;
}

/** A parsed diff: the lines with their roles, the file sections and the hunks. */
export interface ParsedDiff {
  readonly lines: readonly string[];
  readonly roles: Uint8Array;
  readonly files: DiffFile[];
  readonly hunks: DiffHunk[];
}

interface HunkHeaderNumbers {
  parents: number;
  oldStarts: number[];
  oldLens: number[];
  newStart: number;
  newLen: number;
  section: string;
}

const EXTENDED_PREFIXES = [
  "old mode ",
  "new mode ",
  "deleted file mode ",
  "new file mode ",
  "similarity index ",
  "dissimilarity index ",
  "rename from ",
  "rename to ",
  "copy from ",
  "copy to ",
  "Binary files ",
];

const BASE85_LINE = /^[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]*\r?$/;

/** Reads a decimal number at `pos`; returns [value, next position] or undefined. */
function readNumber(text: string, pos: number): [number, number] | undefined {
  let end = pos;
  while (end < text.length && end - pos < 10) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    end++;
  }
  if (end === pos) return undefined;
  return [Number(text.slice(pos, end)), end];
}

/** Reads ` -a[,b]` or ` +a[,b]` at `pos`. */
function readRange(text: string, pos: number, sign: string): [number, number, number] | undefined {
  if (text[pos] !== " " || text[pos + 1] !== sign) return undefined;
  const start = readNumber(text, pos + 2);
  if (!start) return undefined;
  let [value, next] = start;
  let len = 1;
  if (text[next] === ",") {
    const count = readNumber(text, next + 1);
    if (!count) return undefined;
    len = count[0];
    next = count[1];
  }
  return [value, len, next];
}

/** Parses `@@ -a,b +c,d @@ section` (or `@@@ ... @@@` for combined diffs), by hand. */
function parseHunkHeader(line: string): HunkHeaderNumbers | undefined {
  let ats = 0;
  while (ats < line.length && line[ats] === "@") ats++;
  if (ats < 2 || ats > 10) return undefined;
  const parents = ats - 1;
  const oldStarts: number[] = [];
  const oldLens: number[] = [];
  let pos = ats;
  for (let i = 0; i < parents; i++) {
    const range = readRange(line, pos, "-");
    if (!range) return undefined;
    oldStarts.push(range[0]);
    oldLens.push(range[1]);
    pos = range[2];
  }
  const result = readRange(line, pos, "+");
  if (!result) return undefined;
  pos = result[2];
  if (line[pos] !== " ") return undefined;
  pos++;
  for (let i = 0; i < ats; i++) if (line[pos + i] !== "@") return undefined;
  pos += ats;
  return {
    parents,
    oldStarts,
    oldLens,
    newStart: result[0],
    newLen: result[1],
    section: line.slice(pos),
  };
}

/** Whether `line` can be a body line of a hunk with `parents` prefix columns. */
function isBodyLine(line: string, parents: number): boolean {
  if (line === "" || line === "\r") return true;
  if (line.length < parents) return false;
  for (let i = 0; i < parents; i++) {
    const c = line[i];
    if (c !== " " && c !== "+" && c !== "-") return false;
  }
  return true;
}

/** Whether a body line (with `parents` prefix columns) changes something. */
export function isChangeLine(line: string, parents: number): boolean {
  for (let i = 0; i < parents && i < line.length; i++) {
    const c = line[i];
    if (c === "+" || c === "-") return true;
  }
  return false;
}

/**
 * Which sides a body line belongs to: bit i set when it is in parent i, and `inResult` when it
 * is in the new version (a `-` in any column takes it out of the result).
 */
export function lineSides(
  line: string,
  parents: number,
): { inParent: boolean[]; inResult: boolean } {
  const prefix = line.length === 0 || line === "\r" ? "" : line.slice(0, parents);
  const removed = prefix.includes("-");
  const inParent: boolean[] = [];
  for (let i = 0; i < parents; i++) {
    const c = prefix[i] ?? " ";
    inParent.push(removed ? c === "-" : c === " ");
  }
  return { inParent, inResult: !removed };
}

/** Extracts the path from a `---`/`+++` line (drops the a/ b/ prefix and a trailing timestamp). */
function pathOfSideLine(line: string): string {
  let rest = line.slice(4).replace(/\r$/, "");
  const tab = rest.indexOf("\t");
  if (tab >= 0) rest = rest.slice(0, tab);
  if (rest.startsWith("a/") || rest.startsWith("b/")) rest = rest.slice(2);
  return rest;
}

/** Extracts a path from a `diff ...` header line (the last word, without a b/ prefix). */
function pathOfHeader(line: string): string {
  const clean = line.replace(/\r$/, "");
  if (clean.startsWith("diff --git ")) {
    const rest = clean.slice(11);
    const half = (rest.length - 1) / 2;
    // `a/P b/P`: the common case where both sides have the same path.
    if (Number.isInteger(half) && rest[half] === " ")
      return rest.slice(half + 1).replace(/^b\//, "");
    const space = rest.lastIndexOf(" b/");
    if (space >= 0) return rest.slice(space + 3);
    return rest;
  }
  const words = clean.split(" ");
  return (words[words.length - 1] ?? "").replace(/^b\//, "");
}

/** Parses `text` as a diff; returns undefined when it holds no file section or hunk. */
export function parseDiff(text: string): ParsedDiff | undefined {
  const lines = text.split("\n");
  const roles = new Uint8Array(lines.length);
  const files: DiffFile[] = [];
  const hunks: DiffHunk[] = [];
  let file: DiffFile | undefined;
  let i = 0;

  function startFile(headerLine: number, path: string): DiffFile {
    const created: DiffFile = {
      headerLine,
      path,
      minusLine: -1,
      plusLine: -1,
      indexLine: -1,
      extendedCount: 0,
      newFile: false,
      deletedFile: false,
      binary: false,
      firstHunk: hunks.length,
      hunkCount: 0,
    };
    files.push(created);
    return created;
  }

  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith("diff ")) {
      file = startFile(i, pathOfHeader(line));
      roles[i] = Role.FileHeader;
      i++;
      continue;
    }
    const next = lines[i + 1];
    if (line.startsWith("--- ") && next?.startsWith("+++ ")) {
      if (!file || file.minusLine >= 0 || file.hunkCount > 0) file = startFile(i, "");
      file.minusLine = i;
      file.plusLine = i + 1;
      const minusPath = pathOfSideLine(line);
      const plusPath = pathOfSideLine(next);
      if (plusPath !== "/dev/null") file.path = plusPath;
      else if (minusPath !== "/dev/null") file.path = minusPath;
      roles[i] = Role.Minus;
      roles[i + 1] = Role.Plus;
      i += 2;
      continue;
    }
    const header = line.startsWith("@@") ? parseHunkHeader(line) : undefined;
    if (header) {
      if (!file) file = startFile(-1, "");
      roles[i] = Role.HunkHeader;
      const end = scanHunkBody(lines, i + 1, header);
      for (let j = i + 1; j < end; j++) roles[j] = Role.HunkBody;
      hunks.push({
        file: files.length - 1,
        headerLine: i,
        bodyStart: i + 1,
        bodyEnd: end,
        ...header,
      });
      file.hunkCount++;
      i = end;
      continue;
    }
    if (file && file.hunkCount === 0) {
      if (line.startsWith("index ")) {
        file.indexLine = i;
        roles[i] = Role.Index;
        i++;
        continue;
      }
      if (line.startsWith("GIT binary patch")) {
        file.binary = true;
        roles[i] = Role.Binary;
        i++;
        while (i < lines.length) {
          const data = lines[i]!;
          const isPayload =
            data === "" ||
            data === "\r" ||
            /^(literal|delta) \d+\r?$/.test(data) ||
            (BASE85_LINE.test(data) && !data.startsWith("diff"));
          if (!isPayload) break;
          roles[i] = Role.Binary;
          i++;
        }
        continue;
      }
      if (EXTENDED_PREFIXES.some((prefix) => line.startsWith(prefix))) {
        if (line.startsWith("new file mode")) file.newFile = true;
        if (line.startsWith("deleted file mode")) file.deletedFile = true;
        if (line.startsWith("Binary files ")) file.binary = true;
        file.extendedCount++;
        roles[i] = Role.Extended;
        i++;
        continue;
      }
    }
    roles[i] = Role.Text;
    i++;
  }
  if (files.length === 0 || (hunks.length === 0 && !files.some((f) => f.headerLine >= 0))) {
    return undefined;
  }
  return { lines, roles, files, hunks };
}

/**
 * Finds where a hunk's body ends. The header's counts decide; when the counts run out early but
 * more context-looking lines follow (hand-edited diffs), those are taken in too.
 */
function scanHunkBody(lines: readonly string[], start: number, header: HunkHeaderNumbers): number {
  const parents = header.parents;
  const oldLeft = [...header.oldLens];
  let newLeft = header.newLen;
  let j = start;
  const exhausted = () => newLeft <= 0 && oldLeft.every((n) => n <= 0);
  while (j < lines.length) {
    const line = lines[j]!;
    if (line.startsWith("\\")) {
      j++;
      continue;
    }
    if (!exhausted()) {
      if (!isBodyLine(line, parents) || line.startsWith("@@") || line.startsWith("diff ")) break;
      // A `--- x` / `+++ y` pair is a new file header, not a deletion, once counts say so.
      const sides = lineSides(line, parents);
      for (let p = 0; p < parents; p++) if (sides.inParent[p]) oldLeft[p]! -= 1;
      if (sides.inResult) newLeft--;
      j++;
      continue;
    }
    if (line.length > parents && line.startsWith(" ".repeat(parents))) {
      j++;
      continue;
    }
    break;
  }
  return j;
}
