/**
 * Terminal clean-up of captured command output: keeps what a terminal finally shows and drops what
 * only a terminal needs (colour and cursor codes, carriage-return progress redraws, overstrikes).
 * @module
 */

const ESC = "\u001b";
const CSI8 = "\u009b";

// CSI sequences, OSC strings (terminated by BEL or ESC \, or cut off), charset selections and the
// remaining two-byte escapes. Every branch is a run of disjoint classes, so matching stays linear.
const ANSI_PATTERN = new RegExp(
  [
    `${ESC}\\[[0-?]*[ -/]*[@-~]`,
    `${ESC}\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?`,
    `${ESC}[()*+][0-9A-Za-z]`,
    `${ESC}[@-Z\\\\-_=>78]`,
    `${CSI8}[0-?]*[ -/]*[@-~]`,
  ].join("|"),
  "g",
);

// Invisible control characters other than tab, newline, carriage return and backspace.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_PATTERN = /[\u0000-\u0007\u000b\u000c\u000e-\u001f\u007f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_TEST = /[\u0000-\u0007\u000b\u000c\u000e-\u001f\u007f]/;

/** Splits output into the lines a terminal would finally display. */
export function terminalLines(input: string): string[] {
  let text = input;
  if (text.includes(ESC) || text.includes(CSI8)) {
    // Back to the first column (npm's spinner) is a carriage return by another name.
    if (text.includes(`${ESC}[1G`) || text.includes(`${ESC}[G`))
      text = text.replaceAll(`${ESC}[1G`, "\r").replaceAll(`${ESC}[G`, "\r");
    text = text.replace(ANSI_PATTERN, "");
  }
  if (CONTROL_TEST.test(text)) text = text.replace(CONTROL_PATTERN, "");
  const lines = text.split("\n");
  const hasReturn = text.includes("\r");
  const hasBackspace = text.includes("\b");
  if (!hasReturn && !hasBackspace) return lines;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (hasReturn && line.includes("\r")) line = lastRedraw(line);
    if (hasBackspace && line.includes("\b")) line = applyBackspaces(line);
    lines[i] = line;
  }
  return lines;
}

/** A line redrawn with carriage returns shows its last non-blank drawing; CRLF endings go too. */
function lastRedraw(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  const body = line.slice(0, end);
  if (!body.includes("\r")) return body;
  const drawings = body.split("\r");
  for (let i = drawings.length - 1; i >= 0; i--) {
    const drawing = drawings[i]!;
    if (drawing.trim() !== "") return drawing;
  }
  return "";
}

/** Overstrikes (`x\bx` for bold, `_\bx` for underline) print the character after the backspace. */
function applyBackspaces(line: string): string {
  const out: string[] = [];
  for (const ch of line) {
    if (ch === "\b") out.pop();
    else out.push(ch);
  }
  return out.join("");
}
