/**
 * Which Read bodies may be compressed. The model edits what it reads, and an edit needs the
 * file's exact text, so only what it would not edit by hand goes through a compressor: logs,
 * JSON data, tables, listings, saved command output. Source code, prose, HTML, patches and
 * config files (YAML, TOML, INI, XML, .env, Dockerfile, Makefile) stay as they are, unless the
 * file says it is generated (a lockfile, a generated table), which nobody edits by hand.
 * @module
 */

import type { ContentKind } from "../types.ts";

/** Kinds a file is written in by hand; everything else detected is some program's output. */
const EDITED_KINDS: ReadonlySet<ContentKind> = new Set(["code", "text", "html", "diff"]);

/** JSON files at least this long are data (package.json and tsconfig.json are far smaller). */
const JSON_DATA_CHARS = 30_000;

/** Lines sampled from the start of the file, and the characters of each line looked at. */
const SAMPLE_LINES = 200;
const LINE_CAP = 200;

/** Whether a Read body of this kind may be compressed. */
export function mayCompressRead(lines: readonly string[], kind: ContentKind): boolean {
  if (EDITED_KINDS.has(kind)) return false;
  if (saysGenerated(lines)) return true;
  // Pretty JSON reads as YAML keys line by line: it is data when it is bigger than any
  // hand-kept config (and bigger than Claude Code sends from Bash, so a saved output it Reads).
  if (kind === "json") return lengthOver(lines, JSON_DATA_CHARS);
  return !looksLikeConfig(lines);
}

// Anchored, flat patterns on capped lines: none can backtrack.
const GENERATED = /@generated|do not edit|auto-?generated|automatically generated|lockfile/i;
const YAML_KEY = /^\s*(?:- +)?["']?[\w.\-/$@]+["']?\s*:(?:\s|$)/;
const LIST_ITEM = /^\s*- /;
const SECTION = /^\s*\[\[?[^\]]+\]\]?\s*$/;
const ASSIGNMENT = /^\s*(?:export\s+)?["']?[\w.-]+["']?\s*[:?+]?=/;
const XML_TAG = /^\s*<[/?!]?[\w:-]/;
const DOCKER =
  /^(?:FROM|RUN|COPY|ADD|ENV|ARG|WORKDIR|EXPOSE|CMD|ENTRYPOINT|USER|LABEL|VOLUME|HEALTHCHECK|SHELL)\s/;
const MAKE_TARGET = /^[\w.\-/$()%]+(?: [\w.\-/$()%]+)*\s*::?(?:\s|$)/;
const COMMENT = /^\s*(?:#|;|\/\/|<!--)/;

function lengthOver(lines: readonly string[], limit: number): boolean {
  let total = 0;
  for (const line of lines) {
    total += line.length + 1;
    if (total > limit) return true;
  }
  return false;
}

function saysGenerated(lines: readonly string[]): boolean {
  return lines.slice(0, 5).some((line) => GENERATED.test(line.slice(0, LINE_CAP)));
}

/** Most of the sampled lines are keys, sections, assignments, tags, instructions or recipes. */
function looksLikeConfig(lines: readonly string[]): boolean {
  let meaningful = 0;
  let config = 0;
  for (const full of lines.slice(0, SAMPLE_LINES)) {
    const line = full.slice(0, LINE_CAP);
    if (line.trim() === "") continue;
    meaningful++;
    if (isConfigLine(line)) config++;
  }
  return meaningful > 0 && config >= meaningful * 0.7;
}

function isConfigLine(line: string): boolean {
  return (
    COMMENT.test(line) ||
    YAML_KEY.test(line) ||
    LIST_ITEM.test(line) ||
    SECTION.test(line) ||
    ASSIGNMENT.test(line) ||
    XML_TAG.test(line) ||
    DOCKER.test(line) ||
    MAKE_TARGET.test(line) ||
    line.startsWith("\t")
  );
}
