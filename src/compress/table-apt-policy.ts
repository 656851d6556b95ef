/**
 * `apt-cache policy PKG...`: each package is a block of five or more lines (Installed, Candidate,
 * a version table whose every version lists the archives offering it), and the same few
 * archives repeat in every block. Lossless rewrite: one line per package with its installed and
 * candidate versions (`same` when equal) and its version table, where `***` alone is the
 * installed version and each version names its archives by a number, the archives spelled out
 * once at the end. `N: Unable to locate package` lines stay verbatim.
 * @module
 */

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

/** Rewrites `apt-cache policy` output; undefined when a line does not fit its layout. */
export function rewriteAptPolicy(lines: readonly string[]): string | undefined {
  const sources = new Map<string, number>();
  const out: string[] = [];
  let packages = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const name = PACKAGE.exec(line)?.[1];
    if (!name) {
      // Messages between blocks (`N: Unable to locate package x`) stay as they are.
      if (line.startsWith(" ")) return undefined;
      out.push(line);
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
    out.push(table.length > 0 ? `${head}; versions: ${table.join(" | ")}` : head);
    packages++;
  }
  if (packages === 0) return undefined;
  const legend = [...sources].map(([source, ref]) => `@${ref} = ${source}`);
  return [
    `apt-cache policy, one line per package (versions as "version priority @sources", *** = the installed one):`,
    ...out,
    ...(legend.length > 0 ? ["sources:", ...legend] : []),
  ].join("\n");
}
