/**
 * The "Savings over time" card: tokens saved per bucket as bars (proxy and CLI stacked over the
 * input before compression) and dollars saved as a line, each bucket with a tooltip.
 * @module
 */

import { type Bucket, bucketLabel, buckets, niceScale, type Scale } from "./buckets.ts";
import { byId, el, replace, svg } from "./dom.ts";
import { fmtInt, fmtTok, fmtUsd, trim } from "./format.ts";
import { emptyStart } from "./render-tables.ts";
import { state } from "./state.ts";

/** An SVG chart being drawn: its size and the margins around the plot. */
interface Frame {
  readonly root: SVGElement;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const WINDOW_NAMES = { hourly: "hours", daily: "days", weekly: "weeks", monthly: "months" };

/** Draws both charts from the last /stats-history answer in the chosen granularity. */
export function renderHistory(): void {
  const h = state.history;
  const g = state.granularity;
  for (const b of document.querySelectorAll("#granularity button"))
    b.setAttribute("aria-pressed", String(b.getAttribute("data-g") === g));
  if (!h) return;
  const points = h.series?.[g] || [];
  const any = points.some((p) => p.requests > 0 || p.tokens_saved > 0 || p.cli_tokens_saved > 0);
  byId("history-body").hidden = !any;
  const empty = byId("history-empty");
  empty.hidden = any;
  if (!any && !empty.firstChild) replace(empty, emptyStart("No history yet"));
  const chartTokens = byId("chart-tokens");
  chartTokens.setAttribute("data-granularity", g);
  chartTokens.setAttribute("data-points", String(points.length));
  if (!any) return;
  const bs = buckets(points, g);
  const label = `last ${bs.length} ${WINDOW_NAMES[g]}`;
  byId("tokens-window").textContent = label;
  byId("dollars-window").textContent = label;
  drawTokens(chartTokens, bs);
  drawDollars(byId("chart-dollars"), bs);
}

function chartFrame(container: HTMLElement, height: number): Frame {
  const width = Math.max(280, container.clientWidth || 600);
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    height: String(height),
    role: "img",
    preserveAspectRatio: "none",
  });
  return { root, width, height, left: 52, right: 8, top: 8, bottom: 22 };
}

function yGrid(f: Frame, scale: Scale, format: (v: number, max: number) => string): void {
  const plotH = f.height - f.top - f.bottom;
  const { max, ticks } = scale;
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks;
    const y = f.top + plotH - (plotH * i) / ticks;
    f.root.appendChild(
      svg("line", { class: "gridline", x1: f.left, x2: f.width - f.right, y1: y, y2: y }),
    );
    const t = svg("text", { class: "axis", x: f.left - 8, y: y + 3.5, "text-anchor": "end" });
    t.textContent = format(v, max);
    f.root.appendChild(t);
  }
}

/** Labels every few buckets, counted back from the newest so it always has one. */
function xLabels(f: Frame, bs: readonly Bucket[], step: number): void {
  const every = Math.max(
    1,
    Math.ceil(bs.length / Math.max(2, Math.floor((f.width - f.left) / 74))),
  );
  bs.forEach((b, i) => {
    if ((bs.length - 1 - i) % every) return;
    const t = svg("text", {
      class: "axis",
      x: f.left + step * i + step / 2,
      y: f.height - 5,
      "text-anchor": "middle",
    });
    t.textContent = bucketLabel(b.ts, state.granularity, false);
    f.root.appendChild(t);
  });
}

/** A column of the chart: the whole bucket's height takes the hover. */
function column(f: Frame, i: number, step: number): SVGElement {
  const g = svg("g", { class: "col" });
  const plotH = f.height - f.top - f.bottom;
  g.appendChild(
    svg("rect", {
      x: f.left + step * i,
      y: f.top,
      width: step,
      height: plotH,
      fill: "transparent",
    }),
  );
  return g;
}

function drawTokens(container: HTMLElement, bs: readonly Bucket[]): void {
  const f = chartFrame(container, 200);
  const plotH = f.height - f.top - f.bottom;
  let maxV = 0;
  for (const { point: p } of bs)
    if (p)
      maxV = Math.max(
        maxV,
        p.tokens_before || 0,
        (p.tokens_saved || 0) + (p.cli_tokens_saved || 0),
      );
  const scale = niceScale(maxV);
  yGrid(f, scale, (v) => (v >= 1e6 ? `${trim((v / 1e6).toFixed(2))}M` : fmtTok(v)));
  const step = (f.width - f.left - f.right) / bs.length;
  const bw = Math.max(2, Math.min(38, step * 0.68));
  const y = (v: number) => f.top + plotH - (plotH * v) / scale.max;
  bs.forEach((b, i) => {
    const p = b.point;
    const x = f.left + step * i + (step - bw) / 2;
    const g = column(f, i, step);
    if (p) {
      const proxy = p.tokens_saved || 0;
      const cli = p.cli_tokens_saved || 0;
      if (p.tokens_before > 0)
        g.appendChild(
          svg("rect", {
            class: "bar-before",
            x,
            y: y(p.tokens_before),
            width: bw,
            height: Math.max(0, y(0) - y(p.tokens_before)),
            rx: 2,
          }),
        );
      g.appendChild(
        svg("rect", {
          class: "bar-proxy",
          "data-testid": "chart-bar",
          "data-ts": p.timestamp,
          "data-value": String(proxy),
          "data-cli": String(cli),
          x,
          y: y(proxy),
          width: bw,
          height: Math.max(proxy > 0 ? 1.5 : 0, y(0) - y(proxy)),
          rx: 2,
        }),
      );
      if (cli > 0)
        g.appendChild(
          svg("rect", {
            class: "bar-cli",
            x,
            y: y(proxy + cli),
            width: bw,
            height: Math.max(1.5, y(proxy) - y(proxy + cli)),
            rx: 2,
          }),
        );
    }
    hover(g, container, f, b, i, step);
    f.root.appendChild(g);
  });
  xLabels(f, bs, step);
  replace(container, [f.root, tooltipNode(container)]);
}

/** Dollar axis labels with as many decimals as the scale needs. */
function fmtAxisUsd(v: number, max: number): string {
  if (v === 0) return "$0";
  const digits = max >= 20 ? 0 : max >= 2 ? 1 : max >= 0.2 ? 2 : max >= 0.02 ? 3 : 4;
  return `$${trim(v.toFixed(digits))}`;
}

function drawDollars(container: HTMLElement, bs: readonly Bucket[]): void {
  const f = chartFrame(container, 130);
  const plotH = f.height - f.top - f.bottom;
  let maxV = 0;
  for (const { point: p } of bs) if (p) maxV = Math.max(maxV, p.saved_usd || 0);
  const scale = niceScale(maxV);
  yGrid(f, scale, fmtAxisUsd);
  const step = (f.width - f.left - f.right) / bs.length;
  const x = (i: number) => f.left + step * i + step / 2;
  const y = (v: number) => f.top + plotH - (plotH * v) / scale.max;
  let line = "";
  bs.forEach((b, i) => {
    const v = b.point ? b.point.saved_usd || 0 : 0;
    line += `${i ? " L" : "M"}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
  });
  const area = `${line} L${x(bs.length - 1).toFixed(1)} ${y(0)} L${x(0).toFixed(1)} ${y(0)} Z`;
  f.root.appendChild(svg("path", { class: "area", d: area }));
  f.root.appendChild(svg("path", { class: "line", d: line }));
  bs.forEach((b, i) => {
    const g = column(f, i, step);
    const p = b.point;
    if (p && p.saved_usd > 0)
      g.appendChild(
        svg("circle", {
          class: "pt",
          "data-testid": "chart-point",
          "data-ts": p.timestamp,
          "data-value": String(p.saved_usd),
          cx: x(i),
          cy: y(p.saved_usd),
          r: step < 16 ? 2 : 3,
        }),
      );
    hover(g, container, f, b, i, step);
    f.root.appendChild(g);
  });
  xLabels(f, bs, step);
  replace(container, [f.root, tooltipNode(container)]);
}

/** The chart's tooltip, kept across redraws. */
function tooltipNode(container: HTMLElement): Element {
  return container.querySelector(".tooltip") || el("div", { class: "tooltip", role: "tooltip" });
}

function tooltipRows(b: Bucket): HTMLElement[] {
  const row = (k: string, v: string) =>
    el("div", { class: "r" }, [el("span", { text: k }), el("b", { text: v })]);
  const g = state.granularity;
  const title = bucketLabel(b.ts, g, true) + (g === "hourly" ? "" : " (UTC)");
  const kids = [el("div", { class: "t", text: title })];
  const p = b.point;
  if (!p) {
    kids.push(el("div", { class: "r", text: "no requests" }));
    return kids;
  }
  kids.push(row("Requests", fmtInt(p.requests)), row("Tokens saved", fmtInt(p.tokens_saved)));
  if (p.cli_tokens_saved) kids.push(row("CLI tokens saved", fmtInt(p.cli_tokens_saved)));
  kids.push(
    row("Input before compression", fmtInt(p.tokens_before)),
    row("Dollars saved", fmtUsd(p.saved_usd)),
    row("Cost with headroom", fmtUsd(p.cost_usd)),
  );
  const byModel = p.by_model || {};
  const models = Object.keys(byModel)
    .sort((a, c) => byModel[c]!.tokens_saved - byModel[a]!.tokens_saved)
    .slice(0, 5);
  if (models.length)
    kids.push(
      el(
        "div",
        { class: "m" },
        models.map((name) =>
          row(name, `${fmtTok(byModel[name]!.tokens_saved)} · ${fmtUsd(byModel[name]!.saved_usd)}`),
        ),
      ),
    );
  return kids;
}

function hover(
  g: SVGElement,
  container: HTMLElement,
  f: Frame,
  b: Bucket,
  i: number,
  step: number,
): void {
  g.addEventListener("mouseenter", () => {
    const tip = container.querySelector<HTMLElement>(".tooltip");
    if (!tip) return;
    replace(tip, tooltipRows(b));
    tip.style.display = "block";
    const scale = container.clientWidth / f.width;
    const cx = (f.left + step * i + step / 2) * scale;
    let left = cx + 14;
    if (left + tip.offsetWidth > container.clientWidth) left = cx - 14 - tip.offsetWidth;
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = "6px";
  });
  g.addEventListener("mouseleave", () => {
    const tip = container.querySelector<HTMLElement>(".tooltip");
    if (tip) tip.style.display = "none";
  });
}
