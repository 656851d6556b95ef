/**
 * The few DOM helpers the dashboard draws with: elements built from attribute maps, key figures
 * that carry their raw value for tests, and table cells.
 * @module
 */

import { isNum } from "./format.ts";

const SVGNS = "http://www.w3.org/2000/svg";

/** An element of the page by id; the page's markup holds every id the script asks for. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/** Attributes of {@link el}: `text` sets the text, `class` the class; null and undefined are skipped. */
export type Attrs = Readonly<Record<string, string | null | undefined>>;

/** A new element with `attrs` and the children that are not null. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: readonly (Node | null)[],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children ?? []) if (child) node.appendChild(child);
  return node;
}

/** A new SVG element with `attrs`. */
export function svg(tag: string, attrs: Readonly<Record<string, string | number>>): SVGElement {
  const node = document.createElementNS(SVGNS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function text(value: string): Text {
  return document.createTextNode(value);
}

/** Replaces the children of `container` by `nodes`. */
export function replace(container: Element, nodes: readonly Node[]): void {
  while (container.firstChild) container.removeChild(container.firstChild);
  for (const node of nodes) container.appendChild(node);
}

/** Formats a value for display. */
export type Format = (value: unknown) => string;

/** Sets a key figure: the formatted text, the raw value for tests, and the exact value on hover. */
export function fig(testid: string, value: unknown, format: Format, exact?: Format): void {
  const node = document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  if (!node) return;
  const raw = value === undefined ? null : value;
  node.setAttribute("data-value", raw === null ? "null" : String(raw));
  node.textContent = format(raw);
  node.title = exact
    ? exact(raw)
    : isNum(raw)
      ? raw.toLocaleString("en-US", { maximumFractionDigits: 6 })
      : "";
  node.closest(".tile")?.classList.toggle("zero", raw === 0);
}

/** A table cell showing `value` formatted, carrying it raw in data-value. */
export function cell(
  field: string,
  value: unknown,
  format: Format | null,
  cls?: string,
): HTMLTableCellElement {
  const raw = value === null || value === undefined ? "null" : String(value);
  const td = el("td", { "data-field": field, "data-value": raw, class: cls });
  td.textContent = format ? format(value) : String(value);
  if (isNum(value)) td.title = value.toLocaleString("en-US", { maximumFractionDigits: 6 });
  return td;
}

/** A percentage clamped to 0–100, as a CSS width. */
export function width(pct: unknown): string {
  return `${Math.max(0, Math.min(100, isNum(pct) ? pct : 0))}%`;
}

/** Sets the width of the bar with id `id` to `pct` percent. */
export function meter(id: string, pct: unknown): void {
  const m = document.getElementById(id);
  if (m) m.style.width = width(pct);
}
