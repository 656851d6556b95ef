/**
 * The team's savings roll-ups in Redis: a lifetime hash and one hash per hour (kept eight days),
 * each field a sum every replica adds to. A replica sums its finished requests in memory and
 * adds them in one atomic script per flush, tagged with a batch number: a batch whose answer was
 * lost (a timeout after Redis applied it) is recognised when retried and not counted twice.
 * While Redis fails the sums keep growing in memory (one entry per hour, so bounded by time) and
 * go once it is back.
 * @module
 */

import type { LedgerRow } from "../stats/ledger-row.ts";
import {
  emptyRollup,
  TEAM_FIELDS,
  type TeamFigures,
  type TeamLedger,
  type TeamRollup,
  teamDelta,
} from "../stats/team-ledger.ts";
import type { RedisLink } from "./redis-link.ts";
import { type StoreReport, StoreStatus } from "./store-status.ts";

const HOUR_MS = 3_600_000;
const HOURLY_TTL_SECONDS = 8 * 86_400;
const HOURS_SHOWN = 24;

// KEYS[1]: the replica's applied-batch hash, KEYS[2..]: roll-up hashes. ARGV: replica, batch,
// hourly TTL, then per roll-up key its field count and field/delta pairs. Adds every delta
// unless this replica's batch was applied already; sets the TTL of hourly keys.
const APPLY = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return 0 end
local at = 4
for k = 2, #KEYS do
  local n = tonumber(ARGV[at]); at = at + 1
  for _ = 1, n do
    redis.call('HINCRBYFLOAT', KEYS[k], ARGV[at], ARGV[at + 1]); at = at + 2
  end
  if string.find(KEYS[k], ':hour:') then redis.call('EXPIRE', KEYS[k], ARGV[3]) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

const hourOf = (ts: number) => new Date(Math.floor(ts / HOUR_MS) * HOUR_MS).toISOString();

function addTo(target: TeamRollup, delta: TeamRollup): void {
  for (const field of TEAM_FIELDS) target[field] += delta[field];
}

function rollupOf(hash: unknown): TeamRollup {
  const out = emptyRollup();
  const values = (hash ?? {}) as Record<string, string>;
  for (const field of TEAM_FIELDS) out[field] = Number(values[field] ?? 0);
  return out;
}

/** A team ledger on Redis; `replica` (with a per-process nonce) names this process's batches. */
export class RedisTeamLedger implements TeamLedger {
  // Sums not yet sent, by roll-up key ("lifetime" or "hour:<iso>").
  #pending = new Map<string, TeamRollup>();
  #batch: { number: number; sums: Map<string, TeamRollup> } | undefined;
  #batches = 0;
  #flushing: Promise<void> | undefined;
  // Batch numbers restart with the process: the nonce keeps a restarted replica's apart.
  readonly #writer: string;

  constructor(
    readonly link: RedisLink,
    readonly replica: string,
    readonly status = new StoreStatus("team_ledger", { maxRetryMs: 5_000 }),
    readonly now: () => number = Date.now,
  ) {
    this.#writer = `${replica}/${crypto.randomUUID()}`;
  }

  record(row: LedgerRow): void {
    const delta = teamDelta(row);
    if (!delta) return;
    for (const key of ["lifetime", `hour:${hourOf(row.ts)}`]) {
      const sums = this.#pending.get(key) ?? emptyRollup();
      addTo(sums, delta);
      this.#pending.set(key, sums);
    }
    void this.flush();
  }

  /** Sends what was summed since the last flush (and retries a batch Redis did not confirm). */
  flush(): Promise<void> {
    this.#flushing ??= this.#send().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async read(): Promise<TeamFigures | undefined> {
    if (!this.status.allows("read")) {
      this.status.skip("read");
      return undefined;
    }
    const hours: string[] = [];
    const newest = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    for (let i = HOURS_SHOWN - 1; i >= 0; i--)
      hours.push(new Date(newest - i * HOUR_MS).toISOString());
    try {
      const [lifetime, ...hourly] = await Promise.all([
        this.link.send("HGETALL", [this.link.key("team", "lifetime")]),
        ...hours.map((hour) => this.link.send("HGETALL", [this.link.key("team", `hour:${hour}`)])),
      ]);
      this.status.succeeded("read");
      return {
        lifetime: rollupOf(lifetime),
        hourly: hours
          .map((hour, i) => [hour, rollupOf(hourly[i])] as const)
          .filter(([, rollup]) => rollup.requests > 0),
      };
    } catch (error) {
      this.status.failed("read", error);
      return undefined;
    }
  }

  report(): StoreReport {
    return this.status.report();
  }

  async #send(): Promise<void> {
    const failing = this.status.report().failing.length > 0;
    if (!this.#batch && this.#pending.size === 0 && !failing) return;
    if (!this.status.allows("write")) {
      this.status.skip("write");
      return;
    }
    if (!this.#batch && this.#pending.size === 0) {
      try {
        await this.link.send("PING", []);
        this.#reachable();
      } catch (error) {
        this.status.failed("write", error);
      }
      return;
    }
    if (!this.#batch) {
      this.#batch = { number: ++this.#batches, sums: this.#pending };
      this.#pending = new Map();
    }
    const { number, sums } = this.#batch;
    const keys = [this.link.key("team", "applied")];
    const args = [this.#writer, String(number), String(HOURLY_TTL_SECONDS)];
    for (const [key, rollup] of sums) {
      keys.push(this.link.key("team", key));
      args.push(String(TEAM_FIELDS.length));
      for (const field of TEAM_FIELDS) args.push(field, String(rollup[field]));
    }
    try {
      await this.link.send("EVAL", [APPLY, String(keys.length), ...keys, ...args]);
    } catch (error) {
      this.status.failed("write", error);
      return;
    }
    this.#reachable();
    this.#batch = undefined;
  }

  // One connection serves both lanes: Redis answering a write answers reads again too (the
  // dashboard may not ask for minutes).
  #reachable(): void {
    this.status.succeeded("write");
    this.status.succeeded("read");
  }
}
