/**
 * Figures of this session that come from a request's work rather than from its ledger row: how
 * long the compression stage took, and what the compression did to Codex's WebSocket frames.
 * They fill the original Headroom's `pipeline_timing` and `codex_ws` sections of /stats with what
 * headroom measures; what it does not measure is null there and listed in `not_measured`.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";
import type { LedgerRow } from "./ledger-row.ts";
import { percent, round } from "./views.ts";

/** Count, sum and largest of a duration in milliseconds. */
class Timing {
  count = 0;
  sum = 0;
  max = 0;

  observe(ms: number): void {
    this.count++;
    this.sum += ms;
    this.max = Math.max(this.max, ms);
  }

  json() {
    return {
      average_ms: this.count ? round(this.sum / this.count, 2) : 0,
      max_ms: round(this.max, 2),
      count: this.count,
    };
  }
}

/** Strategy "json:table" is a unit of content type "json". */
const contentType = (strategy: string) => strategy.split(":")[0] ?? strategy;

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The session's compression timing and Codex WebSocket figures. */
export class PipelineTally {
  readonly #compression = new Timing();
  readonly #frameTiming = new Timing();
  #frames = { attempted: 0, compressed: 0, failed: 0, bytesBefore: 0, bytesAfter: 0 };
  #frameTokens = { attempted: 0, saved: 0 };
  #units = { total: 0, modified: 0, tokensBefore: 0, tokensAfter: 0 };
  readonly #byStrategy: Record<string, number> = {};
  readonly #byContentType: Record<string, number> = {};

  /** Adds one finished exchange (its ledger row holds the token figures). */
  record(exchange: Exchange, row: LedgerRow): void {
    const ms = exchange.compressionMs;
    if (ms !== undefined) this.#compression.observe(ms);
    const frame = exchange.socketFrame;
    if (!frame || ms === undefined) return;
    // A WebSocket turn whose compression was planned: one attempted frame.
    this.#frameTiming.observe(ms);
    this.#frames.attempted++;
    if (row.tokensSaved > 0) this.#frames.compressed++;
    if (exchange.compressionFailed) this.#frames.failed++;
    this.#frames.bytesBefore += exchange.bytesIn;
    this.#frames.bytesAfter += frame.bytesSent;
    this.#frameTokens.attempted += row.tokensBefore;
    this.#frameTokens.saved += row.tokensSaved;
    this.#units.total += exchange.candidateCount ?? 0;
    for (const unit of exchange.compressions ?? []) {
      this.#units.modified++;
      this.#units.tokensBefore += unit.tokensBefore;
      this.#units.tokensAfter += unit.tokensAfter;
      bump(this.#byStrategy, unit.strategy);
      bump(this.#byContentType, contentType(unit.strategy));
    }
  }

  /** The original's `pipeline_timing`: headroom times the compression stage as a whole. */
  pipelineTiming() {
    return { compression: this.#compression.json() };
  }

  /** The original's `codex_ws` section, over this session's WebSocket turns. */
  codexWs() {
    const u = this.#units;
    const f = this.#frames;
    const frameTiming = this.#frameTiming.json();
    return {
      units_total: u.total,
      units_modified_total: u.modified,
      units_by_strategy: { ...this.#byStrategy },
      units_by_category: null,
      units_by_content_type: { ...this.#byContentType },
      units_by_text_shape: null,
      // headroom has no Kompress model: no unit ever goes to one.
      units_to_kompress_total: 0,
      units_kompress_attempted_total: 0,
      units_to_kompress_percent: 0,
      units_kompress_attempted_percent: 0,
      unit_elapsed_ms: null,
      unit_bytes_sum: null,
      unit_tokens_before_sum: u.tokensBefore,
      unit_tokens_after_sum: u.tokensAfter,
      unit_tokens_saved_sum: u.tokensBefore - u.tokensAfter,
      units_modified_percent: percent(u.modified, u.total),
      frames_attempted_total: f.attempted,
      frames_compressed_total: f.compressed,
      frames_failed_total: f.failed,
      frames_to_kompress_total: 0,
      frames_kompress_attempted_total: 0,
      frames_to_kompress_percent: 0,
      frames_kompress_attempted_percent: 0,
      frame_elapsed_ms: { average: frameTiming.average_ms, max: frameTiming.max_ms },
      frame_bytes_before_sum: f.bytesBefore,
      frame_bytes_after_sum: f.bytesAfter,
      frame_attempted_tokens_sum: this.#frameTokens.attempted,
      frame_tokens_saved_sum: this.#frameTokens.saved,
    };
  }
}

/**
 * Fields of the original's /stats that headroom leaves null, and why: each is a figure headroom
 * does not measure, and a made-up value would be worse than none.
 */
export const NOT_MEASURED: Readonly<Record<string, string>> = {
  waste_signals:
    "headroom detects no waste signals: it compresses tool outputs by their kind " +
    "(compressions_by_strategy) without first classifying the tokens it removes",
  "pipeline_timing.<compressor>":
    "the compressions of one request run together in the worker pool under one wall-clock " +
    "budget, so the stage is timed as a whole (pipeline_timing.compression), not per compressor",
  "prefix_cache.compression_vs_cache.tokens_lost_to_cache_bust":
    "a rewrite headroom causes is counted (cache_bust_count), but its tokens are part of that " +
    "request's cache writes, which the provider reports as one figure",
  "codex_ws.unit_elapsed_ms":
    "tool outputs of one frame are compressed together; only the frame is timed",
  "codex_ws.unit_bytes_sum": "units are measured in tokens (unit_tokens_*), not bytes",
  "codex_ws.units_by_category": "headroom has no unit categories beyond the content type",
  "codex_ws.units_by_text_shape": "headroom has no text-shape classification",
};
