/**
 * The cache clocks of conversations: whether the provider's prompt cache of the conversation a
 * request extends has expired, so its history may be compacted at no cache cost (the provider
 * writes the whole prefix again anyway), and, when its exchange ends, the clock moved on. A
 * conversation with a request still in flight is warm whatever its clock says; one the store
 * does not know, or cannot tell about, is warm too (docs/ARCHITECTURE.md, "Prefix stability").
 * @module
 */

import { afterTurn, cacheExpired, requestedCacheTtlMs } from "../compress/cache-expiry.ts";
import { cachedPrefixIdentity } from "../compress/conversation.ts";
import type { ConversationStore } from "../compress/conversation-store.ts";
import type { GenerationApi } from "../compress/slots.ts";
import type { JsonBody } from "../core/body.ts";
import type { Exchange } from "../core/exchange.ts";

/** What the clock needs to know of a request. */
export interface ClockInput {
  readonly api: GenerationApi;
  readonly json: JsonBody;
  readonly sessionHeader: string | undefined;
  /** Compaction may happen now (compressing, switched on, not bypassed). */
  readonly mayCompact: boolean;
  /** A lifetime that replaces the provider's (HEADROOM_PROVIDER_CACHE_TTL_SECONDS; 0: none). */
  readonly overrideTtlMs: number;
}

/** A request's conversation as its clock sees it. */
export interface ConversationTurnStart {
  readonly id: string;
  readonly ttlMs: number | undefined;
  /** Epoch milliseconds on the clocks' own clock. */
  readonly startedAt: number;
  /** The cache has surely expired: compact now. */
  readonly expired: boolean;
}

/** The clocks of every conversation, over one store. */
export class ConversationClocks {
  readonly #inFlight = new Map<string, number>();

  constructor(
    readonly store: ConversationStore,
    readonly sha256: (text: string) => string,
    /** Wall-clock epoch milliseconds (tests inject theirs). */
    readonly now: () => number = Date.now,
  ) {}

  /** Starts a request of its conversation; {@link finish} must follow for every start. */
  async start(input: ClockInput): Promise<ConversationTurnStart> {
    const { api, json } = input;
    const id = this.sha256(cachedPrefixIdentity(api, json.value, input.sessionHeader));
    const ttlMs = requestedCacheTtlMs(api, json.text, input.overrideTtlMs);
    const startedAt = this.now();
    const busy = this.#inFlight.has(id);
    this.#inFlight.set(id, (this.#inFlight.get(id) ?? 0) + 1);
    if (!input.mayCompact || busy || ttlMs === undefined)
      return { id, ttlMs, startedAt, expired: false };
    const state = await this.store.get(id).catch(() => undefined);
    // Another request of it may have started while the store answered.
    const alone = this.#inFlight.get(id) === 1;
    const expired = alone && state !== undefined && cacheExpired(state, startedAt, ttlMs);
    return { id, ttlMs, startedAt, expired };
  }

  /** Moves the conversation's clock on once `exchange` has ended. */
  async finish(exchange: Exchange): Promise<void> {
    const conversation = exchange.conversation;
    if (!conversation) return;
    const { id, ttlMs } = conversation;
    const left = (this.#inFlight.get(id) ?? 1) - 1;
    if (left > 0) this.#inFlight.set(id, left);
    else this.#inFlight.delete(id);
    if (ttlMs === undefined) return;
    const previous = await this.store.get(id).catch(() => undefined);
    await this.store.put(
      id,
      afterTurn(previous, {
        provider: exchange.provider ?? "unknown",
        ttlMs,
        startedAt: conversation.startedAt,
        endedAt: this.now(),
        usage: exchange.usage,
        compacted: (exchange.compaction?.slots ?? 0) > 0,
      }),
    );
  }
}
