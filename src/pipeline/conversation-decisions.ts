/**
 * One conversation's own decisions, kept in the shared decision store under keys of their own:
 * what a compaction of its history decided where that differs from the decisions every
 * conversation shares, so another conversation holding the same output (a fork, a resumed
 * session) keeps the bytes its own cache holds. Lives as long as the decision store keeps it,
 * with the same guard, bound and restart behaviour.
 * @module
 */

import type { Decision, DecisionStore } from "../compress/decisions.ts";

/** The decisions of conversation `id` (a hashed identity) inside `store`. */
export function conversationDecisions(store: DecisionStore, id: string): DecisionStore {
  const scoped = (key: string) => `conversation:${id}:${key}`;
  return {
    get: (key: string): Decision | undefined => store.get(scoped(key)),
    put: (key: string, decision: Decision): void => store.put(scoped(key), decision),
  };
}
