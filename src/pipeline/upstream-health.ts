/**
 * Passive upstream health: judged from the connection results of real traffic, so /health costs
 * nothing and sends nothing upstream. An upstream is "unreachable" when its latest attempts all
 * failed to connect, "reachable" after any success, "unknown" before any traffic.
 * @module
 */

import type { Provider } from "../core/api.ts";

/** One upstream's state as /health reports it. */
export interface UpstreamState {
  status: "unknown" | "reachable" | "unreachable";
  consecutiveFailures: number;
  lastCheckedAt?: string;
}

// Failures in a row before an upstream counts as unreachable: one refused connection may be a blip.
const FAILURES_TO_DOWN = 3;

/** Tracks the health of each configured upstream. */
export class UpstreamHealth {
  readonly #states: Record<Provider, UpstreamState> = {
    openai: { status: "unknown", consecutiveFailures: 0 },
    anthropic: { status: "unknown", consecutiveFailures: 0 },
    gemini: { status: "unknown", consecutiveFailures: 0 },
  };

  /** Records the result of one connection attempt to `provider`'s configured upstream. */
  record(provider: Provider, reachable: boolean): void {
    const state = this.#states[provider];
    state.lastCheckedAt = new Date().toISOString();
    if (reachable) {
      state.consecutiveFailures = 0;
      state.status = "reachable";
      return;
    }
    state.consecutiveFailures++;
    if (state.consecutiveFailures >= FAILURES_TO_DOWN) state.status = "unreachable";
  }

  /** The current state of every upstream. */
  snapshot(): Record<Provider, UpstreamState> {
    return {
      openai: { ...this.#states.openai },
      anthropic: { ...this.#states.anthropic },
      gemini: { ...this.#states.gemini },
    };
  }

  /**
   * Healthy unless every upstream is known to be unreachable. Gemini counts only once it has been
   * used: most proxies never call it, and its "unknown" must not hide the other two being down.
   */
  healthy(): boolean {
    const { gemini, ...others } = this.#states;
    const counted =
      gemini.status === "unknown" ? Object.values(others) : [...Object.values(others), gemini];
    return !counted.every((state) => state.status === "unreachable");
  }
}
