/**
 * What an apt/dpkg or npm terminal log shows once its progress redraws are settled: a captured
 * line such as `\r45% [Working]\r             \rGet:1 http://...` is the last thing drawn on it
 * (npm's spinner returns with `ESC[1G` and clears with `ESC[0K` instead of `\r`), and lines that
 * only ever held a progress frame or a spinner disappear.
 * @module
 */

/** npm's summary lines after an install. */
export const NPM_LINE =
  /^(?:(?:added|removed|changed) \d+ packages?|up to date|audited \d+ packages|\d+ packages? (?:are|is) looking for funding|found \d+ vulnerabilit)/;

/** A line apt or dpkg writes while it installs (its final, non-progress form). */
export const APT_LINE =
  /^(?:Reading package lists\.\.\.|Building dependency tree|Reading state information|(?:Get|Hit|Ign|Err):\d+ |Selecting previously unselected package |Preparing to unpack |Unpacking |Setting up |Processing triggers for |The following (?:NEW |additional )?packages will be |\d+ upgraded, \d+ newly installed|Need to get |After this operation|Fetched |\(Reading database )/;

/** Progress frames that carry nothing once the step is done. */
const PROGRESS =
  /^(?:[\u2800-\u28ff]|\d+% \[[^\]]*\]|\(Reading database \.\.\. (?:\d+%)?|Reading package lists\.\.\. \d+%|Building dependency tree\.\.\. \d+%|Reading state information\.\.\. \d+%)\s*$/;

/** The text a terminal is left showing on one captured line: its last non-blank `\r` segment. */
export function settledLine(raw: string): string {
  // npm's spinner: ESC[1G goes back to the first column, ESC[0K / ESC[K / ESC[2K clear.
  const line = raw.includes("\x1b[")
    ? raw
        .replaceAll("\x1b[1G", "\r")
        .replaceAll("\x1b[0K", "")
        .replaceAll("\x1b[2K", "")
        .replaceAll("\x1b[K", "")
    : raw;
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  while (end > 0) {
    const start = line.lastIndexOf("\r", end - 1) + 1;
    const segment = line.slice(start, end);
    if (segment.trim() !== "" || start === 0) return segment.trimEnd();
    end = start - 1;
  }
  return "";
}

/** Whether a settled line is only a progress frame. */
export function isProgress(line: string): boolean {
  return PROGRESS.test(line);
}

/** The settled lines of a capture, progress-only lines and blank repeats dropped. */
export function settleLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = settledLine(raw);
    if (isProgress(line)) continue;
    if (line === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}
