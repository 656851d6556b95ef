/**
 * Gemini CLI's framing of a shell command's result (docs/agent-shapes.md): `Output: ` before the
 * output on its first line, then one line per extra fact (`Error:`, `Exit Code:`, `Signal:`,
 * `Background PIDs:`, `Process Group PGID:`), the whole wrapped in `<untrusted_context>` tags by
 * recent versions. The framing is kept byte for byte; only the output between is compressed.
 * @module
 */

/** A framed result split into what comes before the output, the output, and what follows it. */
export interface GeminiShell {
  readonly header: string;
  readonly body: string;
  readonly footer: string;
}

const OPEN = "<untrusted_context>\n";
const CLOSE = "\n</untrusted_context>";
const OUTPUT = "Output: ";
const SECTION = /^(?:Error|Exit Code|Signal|Background PIDs|Process Group PGID): [^\n]{0,400}$/;
// Gemini CLI writes at most these five lines after the output.
const MAX_SECTIONS = 5;

/** Splits Gemini CLI's shell framing off `text`; undefined when the text is not framed so. */
export function splitGeminiShell(text: string): GeminiShell | undefined {
  let start = 0;
  let end = text.length;
  if (text.startsWith(OPEN)) {
    if (!text.endsWith(CLOSE)) return undefined;
    start = OPEN.length;
    end -= CLOSE.length;
  }
  if (!text.startsWith(OUTPUT, start)) return undefined;
  const bodyStart = start + OUTPUT.length;
  let bodyEnd = end;
  for (let k = 0; k < MAX_SECTIONS; k++) {
    const newline = text.lastIndexOf("\n", bodyEnd - 1);
    if (newline < bodyStart || !SECTION.test(text.slice(newline + 1, bodyEnd))) break;
    bodyEnd = newline;
  }
  return {
    header: text.slice(0, bodyStart),
    body: text.slice(bodyStart, bodyEnd),
    footer: text.slice(bodyEnd),
  };
}
