/**
 * The parts of the proxy's JSON answers the dashboard reads (/stats, /stats-history,
 * /transformations/feed, /health), written from what src/stats and src/app send. Most fields are
 * optional: the page draws "–" for what a proxy of another version does not send.
 * tests/e2e/dashboard.test.ts checks the page shows each figure exactly as the proxy sent it.
 * @module
 */

/** A figure the page formats: a number, or null/absent when there is nothing to show. */
export type Figure = number | null | undefined;

export interface Timing {
  readonly average_ms?: Figure;
  readonly p50_ms_at_most?: Figure;
  readonly p95_ms_at_most?: Figure;
  readonly samples?: Figure;
}

/** Savings of one model or project. */
export interface SliceFigures {
  readonly requests: number;
  readonly tokens_saved: Figure;
  readonly savings_percent: Figure;
  readonly compression_savings_usd: Figure;
  readonly last_activity_at?: string | null;
}

export interface AgentFigures {
  readonly agent: string;
  readonly requests: number;
  readonly tokens_saved: Figure;
  readonly savings_percent: Figure;
  readonly share_of_saved_percent: number;
  readonly share_of_requests_percent: Figure;
}

/** Prefix-cache health of one provider, or of all of them. */
export interface CacheFigures {
  readonly requests?: Figure;
  readonly hit_requests?: Figure;
  readonly hit_rate: Figure;
  readonly request_hit_rate: Figure;
  readonly cache_read_tokens: Figure;
  readonly cache_write_tokens: Figure;
  readonly input_tokens?: Figure;
}

export interface RecentRequest {
  readonly request_id: string | number;
  readonly timestamp: string;
  readonly model?: string | null;
  readonly agent?: string | null;
  readonly project?: string | null;
  readonly status: number;
  readonly outcome: string;
  readonly input_tokens_original: Figure;
  readonly input_tokens_optimized: Figure;
  readonly tokens_saved: Figure;
  readonly savings_percent: Figure;
  readonly output_tokens: Figure;
  readonly total_latency_ms: Figure;
  readonly ttfb_ms: Figure;
  readonly transforms_applied?: readonly string[];
  readonly streamed?: boolean;
  readonly cached?: boolean;
  readonly layer?: string | null;
}

/** A horizon's headline: the working session or the lifetime. */
export interface Horizon {
  readonly tokens_saved?: Figure;
  readonly compression_savings_usd?: Figure;
  readonly savings_percent?: Figure;
  readonly requests?: Figure;
  readonly summary?: string;
}

/** GET /stats?cached=true */
export interface StatsBody {
  readonly tokens?: {
    readonly saved?: Figure;
    readonly savings_percent?: Figure;
    readonly total_before_compression?: Figure;
    readonly input?: Figure;
    readonly output?: Figure;
    readonly proxy_compression_saved?: Figure;
    readonly cli_filtering_saved?: Figure;
    readonly proxy_savings_percent?: Figure;
    readonly compressible?: Figure;
    readonly compressible_savings_percent?: Figure;
    readonly estimated_usage_requests?: Figure;
  };
  readonly requests?: {
    readonly total?: Figure;
    readonly compressed?: Figure;
    readonly streamed?: Figure;
    readonly cached?: Figure;
    readonly retrievals?: Figure;
    readonly upstream_errors?: Figure;
    readonly failed?: Figure;
    readonly aborted?: Figure;
    readonly rejected?: Figure;
  };
  readonly cost?: {
    readonly total_saved_usd?: Figure;
    readonly without_headroom_usd?: Figure;
    readonly with_headroom_usd?: Figure;
    readonly compression_savings_usd?: Figure;
    readonly cli_savings_usd?: Figure;
    readonly unpriced_requests?: Figure;
  };
  readonly session?: { readonly started_at?: string | null };
  readonly display_session?: Horizon & {
    readonly started_at?: string | null;
    readonly per_project?: Readonly<Record<string, SliceFigures>>;
  };
  readonly persistent_savings?: {
    readonly lifetime?: Horizon & { readonly first_activity_at?: string | null };
    readonly storage?: string;
    readonly projects?: Readonly<Record<string, SliceFigures>>;
  };
  readonly compressions?: { readonly over_budget?: Figure };
  readonly compaction?: {
    readonly compactions?: Figure;
    readonly tokens_saved?: Figure;
    readonly saved_usd?: Figure;
  };
  readonly cache_rewrites_caused?: { readonly total?: Figure };
  readonly summary?: { readonly text?: string };
  readonly latency?: Timing;
  readonly ttfb?: Timing;
  readonly overhead?: Timing;
  readonly prefix_cache?: {
    readonly by_provider?: Readonly<Record<string, CacheFigures>>;
    readonly totals?: CacheFigures;
  };
  readonly compressions_by_strategy?: Readonly<Record<string, number>>;
  readonly compression?: {
    readonly ccr_entries?: Figure;
    readonly ccr_bytes?: Figure;
    readonly ccr_retrievals?: Figure;
    readonly ccr_misses?: Figure;
    readonly ccr_ttl_seconds?: Figure;
  };
  readonly savings?: {
    readonly per_model?: Readonly<Record<string, SliceFigures>>;
    readonly per_project?: Readonly<Record<string, SliceFigures>>;
  };
  readonly agent_usage?: { readonly agents?: readonly AgentFigures[] };
  /** Absent for callers from another machine. */
  readonly recent_requests?: readonly RecentRequest[];
}

export type Granularity = "hourly" | "daily" | "weekly" | "monthly";

/** One UTC bucket of a /stats-history series. */
export interface HistoryPoint {
  readonly timestamp: string;
  readonly requests: number;
  readonly tokens_before: number;
  readonly tokens_saved: number;
  readonly cli_tokens_saved: number;
  readonly saved_usd: number;
  readonly cost_usd: number;
  readonly by_model?: Readonly<
    Record<string, { readonly tokens_saved: number; readonly saved_usd: number }>
  >;
}

/** GET /stats-history?history_mode=none */
export interface HistoryBody {
  readonly series?: Partial<Readonly<Record<Granularity, readonly HistoryPoint[]>>>;
}

/** One compression in GET /transformations/feed. */
export interface FeedEvent {
  readonly request_id: string;
  readonly timestamp: string;
  readonly model: string | null;
  readonly tool: string | null;
  readonly strategy: string;
  readonly tokens_before: number;
  readonly tokens_after: number;
  readonly tokens_saved: number;
  readonly lossy: boolean;
}

export interface FeedBody {
  readonly transformations?: readonly FeedEvent[];
}

/** GET /health */
export interface HealthBody {
  readonly status?: string;
  readonly version?: string;
  readonly uptime_seconds?: Figure;
  readonly upstreams?: Readonly<Record<string, { readonly status: string }>>;
}
