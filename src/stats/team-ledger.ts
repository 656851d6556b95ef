/**
 * The savings of a whole team of replicas, kept where they all write (Redis): lifetime totals and
 * hourly roll-ups that every replica adds its finished requests to, so /stats and /stats-history
 * on any replica can show the cluster's figures next to its own. A replica alone has none.
 * @module
 */

import type { StoreReport } from "../core/store-health.ts";
import type { LedgerRow } from "./ledger-row.ts";

/** The figures rolled up, per finished proxied request. */
export const TEAM_FIELDS = [
  "requests",
  "tokens_before",
  "tokens_saved",
  "input_tokens",
  "output_tokens",
  "saved_usd",
  "cost_usd",
] as const;

/** One roll-up: a sum of each field. */
export type TeamRollup = Record<(typeof TEAM_FIELDS)[number], number>;

/** What the team's store answers. */
export interface TeamFigures {
  readonly lifetime: TeamRollup;
  /** The hours of the last day that have figures, oldest first, as [ISO hour, roll-up]. */
  readonly hourly: ReadonlyArray<readonly [string, TeamRollup]>;
}

/** Where a team's roll-ups are kept. */
export interface TeamLedger {
  /** Adds one finished request (written behind; held while the store fails). */
  record(row: LedgerRow): void;
  /** The team's figures, or undefined while the store cannot be read. */
  read(): Promise<TeamFigures | undefined>;
  report?(): StoreReport;
}

/** The roll-up contribution of one ledger row (proxied requests only). */
export function teamDelta(row: LedgerRow): TeamRollup | undefined {
  if (row.layer !== "proxy") return undefined;
  return {
    requests: 1,
    tokens_before: row.tokensBefore,
    tokens_saved: row.tokensSaved,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    saved_usd: row.savedUsd ?? 0,
    cost_usd: row.costUsd ?? 0,
  };
}

/** A roll-up of zeros. */
export function emptyRollup(): TeamRollup {
  return Object.fromEntries(TEAM_FIELDS.map((field) => [field, 0])) as TeamRollup;
}
