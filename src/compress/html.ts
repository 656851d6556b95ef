/**
 * The HTML compressor: replaces a page with its readable text (see html-extract.ts). This always
 * drops markup, so it only runs when lossy compression is allowed, and it leaves a marker.
 * @module
 */

import { extractHtml } from "./html-extract.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Main-content extraction yielding less than this share of the whole page's text is distrusted. */
const MIN_MAIN_SHARE = 0.15;
/** Main content this large a share of the raw HTML is plausible without a second look. */
const PLAUSIBLE_SHARE = 0.05;
/** Below this many characters a main-content extraction is not trusted either. */
const MIN_MAIN_CHARS = 200;

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function compressHtmlText(input: string, ctx: CompressContext): CompressOutput | undefined {
  if (!ctx.lossy || !/<[a-zA-Z!/]/.test(input)) return undefined;
  const main = extractHtml(input, { mainContent: true });
  // Class-name heuristics can misfire (a page wrapped in "has-sidebar"): when the main content
  // looks thin, compare it with the whole page's text and fall back to that.
  let trustMain = main.body.length >= input.length * PLAUSIBLE_SHARE;
  let chosen = main;
  if (!trustMain) {
    const whole = extractHtml(input, { mainContent: false });
    trustMain =
      main.body.length >= whole.body.length * MIN_MAIN_SHARE &&
      (main.body.length >= MIN_MAIN_CHARS || main.body.length >= whole.body.length * 0.5);
    if (!trustMain) chosen = whole;
  }
  const title = chosen.title;
  let body = chosen.body;
  const heading = `# ${title}`;
  if (title !== "" && body.startsWith(`${heading}\n`)) body = body.slice(heading.length + 1);
  else if (title !== "" && body === heading) body = "";
  const text = [title ? heading : "", body].filter((part) => part !== "").join("\n");
  if (text === "") return undefined;
  const dropped = trustMain
    ? "scripts, styles, navigation, sidebars, footers, hidden elements, markup and attributes"
    : "scripts, styles, hidden elements, markup and attributes";
  const summary = `HTML reduced to its readable text (${formatCount(input.length)} to ${formatCount(text.length)} characters): ${dropped} dropped`;
  const output = `${text}\n${ctx.marker(summary)}`;
  if (output.length >= input.length) return undefined;
  return { text: output, strategy: trustMain ? "html:main-content" : "html:text", lossy: true };
}

/** Compresses an HTML page to its readable text (lossy only; declines when lossy is off). */
export const compressHtml: Compressor = (input, ctx) => {
  try {
    return compressHtmlText(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("html", error);
    return undefined;
  }
};
