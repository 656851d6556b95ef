/**
 * `apt-cache policy PKG...`: each package is a block of five or more lines (Installed, Candidate,
 * a version table whose every version lists the archives offering it), and the same few
 * archives repeat in every block. Lossless rewrite: one line per package with its installed and
 * candidate versions (`same` when equal) and its version table, where `***` alone is the
 * installed version and each version names its archives by a number, the archives spelled out
 * once at the end. Lossy, only for long outputs: settled packages lose their version tables.
 * `N: Unable to locate package` lines stay verbatim.
 * @module
 */

import { queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

const PACKAGE = /^(\S+):$/;
const INSTALLED = /^ {2}Installed: (.+)$/;
const CANDIDATE = /^ {2}Candidate: (.+)$/;
const PIN = /^ {2}Package pin: (.+)$/;
const TABLE = "  Version table:";
/** ` *** 1.2-3 500` or `     1.2-3 500`. */
const VERSION = /^ (\*\*\*| {3}) (\S+) (-?\d+)$/;
/** `        500 http://deb.debian.org/debian bookworm/main amd64 Packages`. */
const SOURCE = /^ {8}(-?\d+ \S.*)$/;

/** Whether the first lines read as `apt-cache policy` output for some package. */
export function looksLikeAptPolicy(lines: readonly string[]): boolean {
  const first = lines.findIndex((line) => PACKAGE.test(line));
  if (first < 0 || first > 3) return false;
  return INSTALLED.test(lines[first + 1] ?? "") && CANDIDATE.test(lines[first + 2] ?? "");
}

interface Version {
  readonly installed: boolean;
  readonly version: string;
  readonly priority: string;
  readonly sources: number[];
}

/** One package's line, split so its version table can be left out. */
interface Entry {
  readonly name: string;
  readonly head: string;
  readonly table: string;
  /** Installed and candidate are the same version: nothing to upgrade. */
  readonly settled: boolean;
}

interface Parsed {
  /** Package entries, and messages between blocks kept as strings. */
  readonly items: (Entry | string)[];
  readonly legend: string[];
  readonly packages: number;
}

const HEADING = `apt-cache policy, one line per package (versions as "version priority @sources", *** = the installed one):`;
/** Outputs with fewer packages are never cut. */
const MIN_PACKAGES_FOR_LOSSY = 20;
/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.85;

/** Parses `apt-cache policy` output; undefined when a line does not fit its layout. */
function parseAptPolicy(lines: readonly string[]): Parsed | undefined {
  const sources = new Map<string, number>();
  const items: (Entry | string)[] = [];
  let packages = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const name = PACKAGE.exec(line)?.[1];
    if (!name) {
      // Messages between blocks (`N: Unable to locate package x`) stay as they are.
      if (line.startsWith(" ")) return undefined;
      items.push(line);
      i++;
      continue;
    }
    const installed = INSTALLED.exec(lines[i + 1] ?? "")?.[1];
    const candidate = CANDIDATE.exec(lines[i + 2] ?? "")?.[1];
    if (installed === undefined || candidate === undefined) return undefined;
    i += 3;
    const same = candidate === installed;
    let head = `${name}: Installed: ${installed}, Candidate: ${same ? "same" : candidate}`;
    const pin = PIN.exec(lines[i] ?? "")?.[1];
    if (pin !== undefined) {
      head += `, Package pin: ${pin}`;
      i++;
    }
    const versions: Version[] = [];
    if (lines[i] === TABLE) {
      i++;
      while (i < lines.length) {
        const v = VERSION.exec(lines[i]!);
        if (!v) break;
        i++;
        const refs: number[] = [];
        for (let s = SOURCE.exec(lines[i] ?? ""); s; s = SOURCE.exec(lines[i] ?? "")) {
          const key = s[1]!;
          let ref = sources.get(key);
          if (ref === undefined) {
            ref = sources.size + 1;
            sources.set(key, ref);
          }
          refs.push(ref);
          i++;
        }
        versions.push({
          installed: v[1] === "***",
          version: v[2]!,
          priority: v[3]!,
          sources: refs,
        });
      }
    }
    const table = versions.map(
      // The installed version was just named: `***` alone stands for it.
      (v) =>
        `${v.installed && v.version === installed ? "***" : `${v.installed ? "*** " : ""}${v.version}`} ${v.priority} @${v.sources.join(",")}`,
    );
    const settled = same && installed !== "(none)";
    items.push({ name, head, table: table.join(" | "), settled });
    packages++;
  }
  if (packages === 0) return undefined;
  const legend = [...sources].map(([source, ref]) => `@${ref} = ${source}`);
  return { items, legend, packages };
}

function render(parsed: Parsed, keepTable: (entry: Entry) => boolean, marker = ""): string {
  const out = [HEADING];
  for (const item of parsed.items) {
    if (typeof item === "string") out.push(item);
    else if (item.table === "" || !keepTable(item)) out.push(item.head);
    else out.push(`${item.head}; versions: ${item.table}`);
  }
  if (parsed.legend.length > 0) out.push("sources:", ...parsed.legend);
  if (marker !== "") out.push(marker);
  return out.join("\n");
}

/**
 * Compresses `apt-cache policy` output: the one-line-per-package form, and when content may be
 * dropped and there are many packages, without the version tables of settled packages (installed
 * is the candidate) that the question does not name.
 */
export function compressAptPolicy(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  const parsed = parseAptPolicy(lines);
  if (!parsed) return undefined;
  const lossless: CompressOutput = {
    text: render(parsed, () => true),
    strategy: "table:apt-policy",
    lossy: false,
  };
  if (!ctx.lossy || parsed.packages < MIN_PACKAGES_FOR_LOSSY) return lossless;
  const terms = queryTerms(ctx.query);
  const keep = (entry: Entry) =>
    !entry.settled || terms.some((term) => entry.name.toLowerCase().includes(term));
  const dropped = parsed.items.filter(
    (item): item is Entry => typeof item !== "string" && item.table !== "" && !keep(item),
  ).length;
  if (dropped === 0) return lossless;
  const summary = `version tables of ${dropped} of ${parsed.packages} packages omitted (those whose installed version is the candidate)`;
  const text = render(parsed, keep, ctx.marker(summary));
  if (text.length > lossless.text.length * LOSSY_GAIN) return lossless;
  return { text, strategy: "table:apt-policy-settled", lossy: true };
}
