/**
 * Turns an HTML page into readable markdown-like text: title, headings, paragraphs, lists,
 * links (text and target), code blocks and tables, without scripts, styles, hidden elements,
 * attributes, and (in main-content mode) navigation and other page furniture.
 * @module
 */

import { decodeEntities } from "./html-entities.ts";
import { type HtmlSink, scanHtml } from "./html-scan.ts";

/** How much of the page to keep. */
export interface ExtractOptions {
  /** Keep only <main>/<article> content when present, and drop nav-like boilerplate. */
  readonly mainContent: boolean;
}

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

/** Elements never worth reading, whatever the mode. */
const ALWAYS_DROP = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "canvas",
  "iframe",
  "object",
  "video",
  "audio",
  "picture",
  "map",
  "button",
  "select",
  "textarea",
  "datalist",
  "dialog",
]);

/** Page furniture dropped in main-content mode. */
const FURNITURE = new Set(["nav", "footer", "aside", "menu"]);

const FURNITURE_ROLES = new Set([
  "navigation",
  "banner",
  "contentinfo",
  "complementary",
  "search",
  "menu",
  "menubar",
  "dialog",
  "alertdialog",
  "toolbar",
]);

const FURNITURE_WORDS =
  "nav|navbar|navigation|menu|footer|sidebar|breadcrumb|breadcrumbs|cookie|cookies|consent|banner|ads|advert|advertisement|promo|social|share|sharing|subscribe|newsletter|popup|modal|related|comments|skip-link|masthead|topbar|toolbar";
const FURNITURE_CLASS = new RegExp(
  `^(?:${FURNITURE_WORDS})(?:[-_].*)?$|[-_](?:${FURNITURE_WORDS})$`,
  "i",
);

const BULLET_ONLY = /^\s*(?:-|\d+\.)\s*$/;
const PERMALINK = /^(?:¶|§|#|🔗|link)$/;

/** Elements that are never dropped for their class names (they hold the whole page). */
const STRUCTURAL = new Set(["html", "body", "main", "article"]);

const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "nav",
  "aside",
  "blockquote",
  "figure",
  "figcaption",
  "details",
  "summary",
  "dl",
  "dt",
  "dd",
  "ul",
  "ol",
  "address",
  "fieldset",
  "form",
  "caption",
  "center",
  "hgroup",
]);

function isHidden(attrs: ReadonlyMap<string, string>): boolean {
  if (attrs.has("hidden") || attrs.get("aria-hidden") === "true") return true;
  const style = attrs.get("style");
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

function isFurniture(name: string, attrs: ReadonlyMap<string, string>): boolean {
  if (FURNITURE.has(name)) return true;
  if (STRUCTURAL.has(name)) return false;
  const role = attrs.get("role");
  if (role && FURNITURE_ROLES.has(role.toLowerCase())) return true;
  for (const key of ["id", "class"]) {
    const value = attrs.get(key);
    if (!value) continue;
    for (const token of value.split(/\s+/)) if (token && FURNITURE_CLASS.test(token)) return true;
  }
  return false;
}

/** The language named by a `language-x` / `lang-x` class, or "". */
function codeLanguage(attrs: ReadonlyMap<string, string>): string {
  return /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(attrs.get("class") ?? "")?.[1] ?? "";
}

/** Whether a link target is worth printing next to its text. */
function usefulHref(href: string): boolean {
  if (href === "" || href.startsWith("#") || href.length > 300) return false;
  return !/^(?:javascript|data|blob|about):/i.test(href);
}

/** Whether the page has a <main> (or role=main) or <article> element to focus on. */
function mainContainer(html: string): "main" | "article" | undefined {
  if (/<main[\s>]|role\s*=\s*["']?main\b/i.test(html)) return "main";
  if (/<article[\s>]/i.test(html)) return "article";
  return undefined;
}

/** Extracts the readable text of `html`. */
export function extractHtml(
  html: string,
  options: ExtractOptions,
): { title: string; body: string } {
  const container = options.mainContent ? mainContainer(html) : undefined;
  const lines: string[] = [];
  let cur = "";
  let pendingSpace = false;
  let title = "";
  let inTitle = false;
  let skipName = "";
  let skipDepth = 0;
  let captureDepth = 0;
  let pre = 0;
  let preText = "";
  let preLang = "";
  let cell = 0;
  let rowCells = 0;
  let rowHasHeader = false;
  let firstRow = true;
  const lists: Array<{ ordered: boolean; count: number }> = [];
  let link: { href: string; start: number; line: number } | undefined;
  let linkDepth = 0;

  const capturing = () => container === undefined || captureDepth > 0;

  function flushLine(): void {
    const line = cur.trimEnd();
    // Repeated lines are page furniture (share buttons, "read more"); table rows may repeat.
    if (line.trim() !== "" && (lines[lines.length - 1] !== line || line.startsWith("|")))
      lines.push(line);
    cur = "";
    pendingSpace = false;
  }
  function blockBreak(): void {
    // Inside a table cell, or right after a list bullet, a block start is just a space.
    if (cell > 0 || BULLET_ONLY.test(cur)) {
      pendingSpace = true;
      return;
    }
    flushLine();
  }
  function append(text: string): void {
    if (text === "") return;
    if (pendingSpace && cur !== "" && !cur.endsWith(" ")) cur += " ";
    pendingSpace = false;
    cur += text;
  }
  function addText(raw: string): void {
    const text = decodeEntities(raw);
    const startsSpace = /^\s/.test(text);
    const words = text.trim().replace(/\s+/g, " ");
    if (words === "") {
      if (text !== "") pendingSpace = true;
      return;
    }
    if (startsSpace) pendingSpace = true;
    append(words);
    if (/\s$/.test(text)) pendingSpace = true;
  }

  const sink: HtmlSink = {
    text(raw) {
      if (inTitle) {
        title += raw;
        return;
      }
      if (skipDepth > 0 || !capturing()) return;
      if (pre > 0) {
        preText += decodeEntities(raw);
        return;
      }
      addText(raw);
    },
    open(name, attrs, selfClosing) {
      if (skipDepth > 0) {
        if (name === skipName && !VOID.has(name) && !selfClosing) skipDepth++;
        return;
      }
      if (name === "title" && title === "") {
        inTitle = true;
        return;
      }
      const isVoid = VOID.has(name) || selfClosing;
      if (
        !isVoid &&
        (ALWAYS_DROP.has(name) ||
          isHidden(attrs) ||
          (options.mainContent && isFurniture(name, attrs)))
      ) {
        skipName = name;
        skipDepth = 1;
        return;
      }
      if (
        container !== undefined &&
        (name === container || (container === "main" && attrs.get("role") === "main"))
      ) {
        if (!isVoid) captureDepth++;
      }
      if (!capturing()) return;
      if (pre > 0) {
        if (name === "br") preText += "\n";
        if (name === "pre") pre++;
        if (name === "code" && preLang === "") preLang = codeLanguage(attrs);
        return;
      }
      if (/^h[1-6]$/.test(name)) {
        blockBreak();
        if (cell === 0) {
          if (lines.length > 0) lines.push("");
          append(`${"#".repeat(Number(name[1]))} `);
        }
        return;
      }
      switch (name) {
        case "br":
          if (cell > 0) pendingSpace = true;
          else flushLine();
          return;
        case "hr":
          blockBreak();
          return;
        case "img": {
          const alt = decodeEntities(attrs.get("alt") ?? "")
            .trim()
            .replace(/\s+/g, " ");
          if (alt) append(`[image: ${alt}]`);
          return;
        }
        case "pre": {
          blockBreak();
          pre = 1;
          preText = "";
          preLang = codeLanguage(attrs);
          return;
        }
        case "code":
          append("`");
          return;
        case "ul":
        case "ol":
          blockBreak();
          lists.push({ ordered: name === "ol", count: 0 });
          return;
        case "li": {
          blockBreak();
          const list = lists[lists.length - 1];
          const indent = "  ".repeat(Math.max(0, lists.length - 1));
          if (list?.ordered) {
            list.count++;
            append(`${indent}${list.count}. `);
          } else {
            append(`${indent}- `);
          }
          return;
        }
        case "table":
          blockBreak();
          firstRow = true;
          return;
        case "tr":
          flushLine();
          cur = "|";
          rowCells = 0;
          rowHasHeader = false;
          return;
        case "td":
        case "th":
          cell++;
          rowCells++;
          if (name === "th") rowHasHeader = true;
          pendingSpace = true;
          return;
        case "a": {
          linkDepth++;
          if (linkDepth === 1) {
            if (pendingSpace && cur !== "" && !cur.endsWith(" ")) cur += " ";
            pendingSpace = false;
            const href = decodeEntities((attrs.get("href") ?? "").trim());
            link = { href, start: cur.length, line: lines.length };
          }
          return;
        }
        default:
          if (BLOCK.has(name)) blockBreak();
      }
    },
    close(name) {
      if (skipDepth > 0) {
        if (name === skipName) skipDepth--;
        return;
      }
      if (name === "title" && inTitle) {
        inTitle = false;
        return;
      }
      const wasCapturing = capturing();
      if (container !== undefined && name === container && captureDepth > 0) captureDepth--;
      if (!wasCapturing) return;
      if (pre > 0) {
        if (name !== "pre") return;
        pre--;
        if (pre > 0) return;
        const code = trimBlankLines(preText);
        if (code !== "") {
          lines.push(`\`\`\`${preLang}`);
          for (const line of code.split("\n")) lines.push(line.trimEnd());
          lines.push("```");
        }
        return;
      }
      if (/^h[1-6]$/.test(name)) {
        if (cur.trim().replace(/^#+$/, "") === "") cur = "";
        blockBreak();
        return;
      }
      switch (name) {
        case "code":
          if (cur.endsWith("`")) cur = cur.slice(0, -1);
          else append("`");
          return;
        case "ul":
        case "ol":
          lists.pop();
          blockBreak();
          return;
        case "li":
          blockBreak();
          return;
        case "td":
        case "th":
          if (cell > 0) cell--;
          cur = `${cur.trimEnd()} |`;
          pendingSpace = false;
          return;
        case "tr":
          if (cur !== "|") {
            flushLine();
            if (firstRow && rowHasHeader && rowCells > 0) lines.push(`|${"-|".repeat(rowCells)}`);
          } else {
            cur = "";
          }
          firstRow = false;
          return;
        case "table":
          flushLine();
          return;
        case "a": {
          linkDepth = Math.max(0, linkDepth - 1);
          if (linkDepth > 0 || !link) return;
          const opened = link;
          link = undefined;
          if (lines.length !== opened.line || cur.length < opened.start) return;
          const text = cur.slice(opened.start).trim();
          // Permalink anchors next to headings ("¶", "§", "#") say nothing.
          if (PERMALINK.test(text)) {
            cur = cur.slice(0, opened.start).trimEnd();
            return;
          }
          if (text === "" || text === opened.href || !usefulHref(opened.href)) return;
          cur = `${cur.slice(0, opened.start)}[${text}](${opened.href})`;
          return;
        }
        default:
          if (BLOCK.has(name)) blockBreak();
      }
    },
  };
  scanHtml(html, sink);
  flushLine();
  const body = lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { title: decodeEntities(title).trim().replace(/\s+/g, " "), body };
}

/**
 * `text` without its leading blank lines and trailing whitespace: what `/^\s*\n|\s+$/g` removes,
 * but linear (that regex retries `\s+$` from every position of a long whitespace run inside
 * the text: 5 s on a <pre> holding 70,000 tabs).
 */
function trimBlankLines(text: string): string {
  let first = 0;
  while (first < text.length && /\s/.test(text[first]!)) first++;
  const lead = text.lastIndexOf("\n", first - 1);
  return text.slice(lead + 1).trimEnd();
}
