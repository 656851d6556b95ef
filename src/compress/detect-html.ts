/**
 * Recognises HTML documents and large HTML fragments (a fetched page, a rendered template), and
 * keeps XML, SVG and small snippets out.
 * @module
 */

/** Characters of the text that HTML detection reads. */
const HTML_SAMPLE = 8 * 1024;
/** A fragment needs this many HTML start tags in the sample, of at least MIN_DISTINCT names. */
const MIN_TAGS = 10;
const MIN_DISTINCT = 4;

const HTML_TAGS = new Set(
  (
    "a abbr address article aside audio b blockquote body br button canvas caption code dd details " +
    "dialog div dl dt em fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr " +
    "html i iframe img input label legend li link main meta nav noscript ol optgroup option p " +
    "picture pre script section select small source span strong style sub summary sup table tbody " +
    "td template textarea tfoot th thead time title tr u ul video"
  ).split(" "),
);

/**
 * HTML when the text starts with a doctype or <html> (after an optional XML declaration or
 * comment), or when it starts with a tag and its sample holds at least 10 HTML start tags.
 */
export function looksLikeHtml(text: string, start: number): boolean {
  if (text.charCodeAt(start) !== 60) return false; // "<"
  const sample = text.slice(start, start + HTML_SAMPLE).toLowerCase();
  let head = sample;
  // Skip an XML declaration and leading comments before the root.
  for (let k = 0; k < 8; k++) {
    const skipped = skipPrologue(head);
    if (skipped === head) break;
    head = skipped;
  }
  if (head.startsWith("<!doctype html") || /^<html[\s>]/.test(head)) return true;
  if (head.startsWith("<?xml") || head.startsWith("<svg")) return false;
  return countHtmlTags(sample) >= MIN_TAGS;
}

function skipPrologue(head: string): string {
  let end = -1;
  if (head.startsWith("<?xml")) end = head.indexOf("?>") + 2;
  else if (head.startsWith("<!--")) end = head.indexOf("-->") + 3;
  if (end <= 1) return head;
  return head.slice(end).trimStart();
}

/** Counts start tags with known HTML names; returns 0 when fewer than MIN_DISTINCT names occur. */
function countHtmlTags(sample: string): number {
  let count = 0;
  const names = new Set<string>();
  let at = sample.indexOf("<");
  while (at >= 0 && at < sample.length - 1) {
    let j = at + 1;
    while (j < sample.length && j - at <= 11 && isTagChar(sample.charCodeAt(j))) j++;
    if (j > at + 1) {
      const name = sample.slice(at + 1, j);
      const after = sample.charCodeAt(j);
      if (HTML_TAGS.has(name) && (after === 62 || after === 32 || after === 47 || after === 10)) {
        count++;
        names.add(name);
      }
    }
    at = sample.indexOf("<", at + 1);
  }
  return names.size >= MIN_DISTINCT ? count : 0;
}

function isTagChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}
