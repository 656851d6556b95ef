/**
 * A forgiving, linear HTML tokenizer: it reports text, start tags (with attributes) and end tags,
 * skips comments, doctypes and processing instructions, and jumps over the raw text of
 * `<script>`/`<style>`-like elements without looking inside.
 * @module
 */

/** Receives what the scanner finds, in document order. */
export interface HtmlSink {
  text(raw: string): void;
  open(name: string, attrs: ReadonlyMap<string, string>, selfClosing: boolean): void;
  close(name: string): void;
}

/** Elements whose content is raw text, never markup. */
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "noembed", "noframes"]);

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}

/** Finds `</name` (any case) from `from`; returns its index or -1. */
function findEndTag(html: string, lowerName: string, from: number): number {
  const needle = `</${lowerName}`;
  let pos = from;
  for (;;) {
    const found = html.indexOf("</", pos);
    if (found < 0) return -1;
    if (html.slice(found, found + needle.length).toLowerCase() === needle) {
      const after = html.charCodeAt(found + needle.length);
      if (Number.isNaN(after) || isSpace(after) || after === 62 || after === 47) return found;
    }
    pos = found + 2;
  }
}

/** Reads a start or end tag at `pos` (which holds "<"); returns the index after it, or -1. */
function readTag(html: string, pos: number, sink: HtmlSink): number {
  const n = html.length;
  let i = pos + 1;
  const closing = html[i] === "/";
  if (closing) i++;
  if (!isNameStart(html.charCodeAt(i))) return -1;
  const nameStart = i;
  while (i < n) {
    const code = html.charCodeAt(i);
    if (isSpace(code) || code === 62 || code === 47) break;
    i++;
  }
  const name = html.slice(nameStart, i).toLowerCase();
  const attrs = new Map<string, string>();
  let selfClosing = false;
  while (i < n) {
    const code = html.charCodeAt(i);
    if (code === 62) {
      i++;
      break;
    }
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (code === 47) {
      selfClosing = true;
      i++;
      continue;
    }
    selfClosing = false;
    const attrStart = i;
    while (i < n) {
      const c = html.charCodeAt(i);
      if (isSpace(c) || c === 61 || c === 62 || (c === 47 && html.charCodeAt(i + 1) === 62)) break;
      i++;
    }
    if (i === attrStart) i++;
    const attrName = html.slice(attrStart, i).toLowerCase();
    while (i < n && isSpace(html.charCodeAt(i))) i++;
    let value = "";
    if (html.charCodeAt(i) === 61) {
      i++;
      while (i < n && isSpace(html.charCodeAt(i))) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, i + 1);
        const stop = end < 0 ? n : end;
        value = html.slice(i + 1, stop);
        i = stop + 1;
      } else {
        const valueStart = i;
        while (i < n && !isSpace(html.charCodeAt(i)) && html.charCodeAt(i) !== 62) i++;
        value = html.slice(valueStart, i);
      }
    }
    if (!attrs.has(attrName)) attrs.set(attrName, value);
  }
  if (closing) {
    sink.close(name);
    return i;
  }
  sink.open(name, attrs, selfClosing);
  if (RAW_TEXT.has(name) && !selfClosing) {
    const end = findEndTag(html, name, i);
    const stop = end < 0 ? n : end;
    if (name === "title" || name === "textarea") sink.text(html.slice(i, stop));
    if (end < 0) return n;
    const close = html.indexOf(">", end);
    sink.close(name);
    return close < 0 ? n : close + 1;
  }
  return i;
}

/** Scans `html` and reports its pieces to `sink`. */
export function scanHtml(html: string, sink: HtmlSink): void {
  const n = html.length;
  let pos = 0;
  while (pos < n) {
    const lt = html.indexOf("<", pos);
    if (lt < 0) {
      sink.text(html.slice(pos));
      return;
    }
    if (lt > pos) sink.text(html.slice(pos, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      pos = end < 0 ? n : end + 3;
      continue;
    }
    if (html.startsWith("<![CDATA[", lt)) {
      const end = html.indexOf("]]>", lt + 9);
      sink.text(html.slice(lt + 9, end < 0 ? n : end));
      pos = end < 0 ? n : end + 3;
      continue;
    }
    const next = html[lt + 1];
    if (next === "!" || next === "?") {
      const end = html.indexOf(">", lt + 2);
      pos = end < 0 ? n : end + 1;
      continue;
    }
    const after = readTag(html, lt, sink);
    if (after < 0) {
      sink.text("<");
      pos = lt + 1;
      continue;
    }
    pos = after;
  }
}
