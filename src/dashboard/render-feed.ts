/**
 * Draws GET /transformations/feed: the newest compressions, each entry flashing once when it
 * first appears.
 * @module
 */

import type { FeedBody, FeedEvent } from "./api-types.ts";
import { byId, el, replace, text } from "./dom.ts";
import { ago, fmtInt, fmtTok } from "./format.ts";
import { state } from "./state.ts";

const EMPTY_TEXT = "Tool outputs headroom compresses show up here as they happen.";

/** Identifies an entry across polls; `n` tells identical entries apart. */
function feedKey(e: FeedEvent, n: number): string {
  return `${e.request_id}|${e.timestamp}|${e.tool}|${e.strategy}|${e.tokens_before}|${n}`;
}

function entry(e: FeedEvent, key: string): HTMLLIElement {
  const fresh = state.feedPrimed && !state.seenFeed.has(key);
  const ratio = e.tokens_before > 0 ? (e.tokens_after / e.tokens_before) * 100 : 100;
  const count = (field: string, value: number) =>
    el("span", {
      "data-field": field,
      "data-value": String(value),
      text: fmtTok(value),
      title: fmtInt(value),
    });
  return el(
    "li",
    { "data-testid": "feed-entry", "data-key": e.request_id, class: fresh ? "new" : null },
    [
      el("div", { class: "what" }, [
        el("span", {
          class: "tool",
          "data-field": "tool",
          text: e.tool || "tool output",
          title: e.tool || "",
        }),
        e.lossy
          ? el("span", {
              class: "chip",
              text: "lossy",
              title: "lossy: the original is retrievable from the CCR store",
            })
          : null,
      ]),
      el("b", {
        class: "saved",
        "data-field": "tokens_saved",
        "data-value": String(e.tokens_saved),
        text: `−${fmtTok(e.tokens_saved)}`,
        title: `${fmtInt(e.tokens_saved)} tokens saved`,
      }),
      el("div", { class: "meta" }, [
        el("span", {
          class: "chip green",
          "data-field": "strategy",
          text: e.strategy,
          title: e.strategy,
        }),
        el("span", {
          title: e.timestamp,
          text: ` ${e.model || "unknown model"} · ${ago(e.timestamp)}`,
        }),
      ]),
      el("div", { class: "nums" }, [
        count("tokens_before", e.tokens_before),
        text(" → "),
        count("tokens_after", e.tokens_after),
      ]),
      el(
        "div",
        {
          class: "ratio",
          title: `kept ${fmtTok(e.tokens_after)} of ${fmtTok(e.tokens_before)} tokens`,
        },
        [el("i", { style: `width:${Math.max(1, Math.min(100, ratio))}%` })],
      ),
    ],
  );
}

/** Draws the feed, or says it is for this machine only (`localOnly`: the proxy answered 404). */
export function renderFeed(body: FeedBody | null, localOnly: boolean): void {
  const list = byId("feed");
  const empty = byId("feed-empty");
  if (localOnly) {
    replace(list, []);
    empty.hidden = false;
    byId("feed-empty-text").textContent =
      "The live feed is available on this machine only (open the dashboard through 127.0.0.1).";
    return;
  }
  const events = body?.transformations || [];
  byId("feed-hint").textContent = events.length ? `newest ${events.length}` : "";
  const counts = new Map<string, number>();
  const items = events.map((e) => {
    const base = feedKey(e, 0);
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    const key = feedKey(e, n);
    const li = entry(e, key);
    state.seenFeed.add(key);
    return li;
  });
  state.feedPrimed = true;
  replace(list, items);
  list.hidden = items.length === 0;
  empty.hidden = items.length > 0;
  if (!items.length) byId("feed-empty-text").textContent = EMPTY_TEXT;
}
