/**
 * Replicas of a team gateway sharing one real redis-server (HEADROOM_REDIS_URL's stores): a
 * conversation load-balanced across three replicas goes upstream exactly as it would through
 * one (every prompt extends the previous byte for byte, the same savings), every marker is
 * redeemable through every replica, and while Redis is down each replica keeps serving
 * (lossless only, decisions held), reports the stores degraded, and recovers by itself, with
 * nothing it stored lost.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { markerHashes } from "../../src/compress/marker.ts";
import { RedisDecisionStore } from "../../src/store/redis-decision-store.ts";
import { RedisHiddenCallStore } from "../../src/store/redis-hidden-call-store.ts";
import { RedisLink } from "../../src/store/redis-link.ts";
import { RedisOriginalStore } from "../../src/store/redis-original-store.ts";
import { RedisTeamLedger } from "../../src/store/redis-team-ledger.ts";
import { StoreStatus } from "../../src/store/store-status.ts";
import { ClaudeSession, renderedPrompt } from "../helpers/claude-session.ts";
import { type BuiltApp, buildApp, waitFor } from "../helpers/proxy.ts";
import { RedisServer } from "../helpers/redis-server.ts";

const redis = new RedisServer();
const links: RedisLink[] = [];
beforeAll(() => redis.start());
afterAll(async () => {
  for (const link of links) link.close();
  await redis.kill();
});

const ANSWER = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  content: [{ type: "text", text: "ok" }],
  model: "claude-sonnet-4-5",
  stop_reason: "end_turn",
  usage: { input_tokens: 10, output_tokens: 2 },
};

/** A replica and the upkeep its CLI entry would run (writing what its stores hold). */
interface Replica extends BuiltApp {
  flush(): Promise<void>;
}

/**
 * One replica: its own connection and stores on the shared Redis. `fast` plays outages: short
 * backoffs and the production deadline; otherwise a deadline a loaded test machine always meets
 * (a slower answer counts as Redis failing, and the replica then decides on its own).
 */
function replica(bodies: string[], prefix: string, fast = false, name = "r"): Replica {
  const link = new RedisLink(redis.url, fast ? 250 : 5_000, prefix);
  links.push(link);
  const status = (name: string) =>
    new StoreStatus(name, fast ? { retryMs: 200, maxRetryMs: 400 } : { maxRetryMs: 5_000 });
  const stores = {
    decisions: new RedisDecisionStore(link, status("decisions")),
    originals: new RedisOriginalStore(link, 86_400, 64 * 1024 * 1024, status("originals")),
    hiddenCalls: new RedisHiddenCallStore(link, status("hidden_calls")),
  };
  const team = new RedisTeamLedger(link, name, status("team_ledger"));
  const app = buildApp({
    env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
    ...stores,
    team,
    replicaId: name,
    fetch: async (_url, init) => {
      bodies.push(new TextDecoder().decode(init.body as Uint8Array));
      return Response.json(ANSWER);
    },
  });
  const flush = async () => {
    await Promise.all([...Object.values(stores), team].map((store) => store.flush()));
  };
  return { ...app, flush };
}

const KEY = "sk-ant-test";

function post(body: string, key = KEY): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key },
    body,
  };
}

async function send(app: BuiltApp, body: string, key = KEY): Promise<number> {
  const res = await app.request("/v1/messages", post(body, key));
  await res.arrayBuffer();
  return res.status;
}

/** Tokens saved over the generation requests the apps finished (what their ledgers record). */
async function savedBy(apps: BuiltApp[], requests: number): Promise<number> {
  const generations = () => apps.flatMap((app) => app.exchanges.filter((e) => e.api !== undefined));
  await waitFor(() => generations().length === requests);
  return generations().reduce((sum, e) => sum + (e.tokensSaved ?? 0), 0);
}

describe("three replicas on one Redis", () => {
  test("a 30-turn session round-robin goes upstream as through one replica", async () => {
    const single: string[] = [];
    const alone = buildApp({
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
      fetch: async (_url, init) => {
        single.push(new TextDecoder().decode(init.body as Uint8Array));
        return Response.json(ANSWER);
      },
    });
    const bodies: string[] = [];
    const replicas = ["r1", "r2", "r3"].map((name) => replica(bodies, "t1:", false, name));
    const session = new ClaudeSession("rr");
    const same = new ClaudeSession("rr");
    for (let turn = 0; turn < 30; turn++) {
      expect(await send(replicas[turn % 3]!, session.turn())).toBe(200);
      expect(await send(alone, same.turn())).toBe(200);
    }
    expect(bodies).toHaveLength(30);
    // Byte for byte what one replica alone sends, so the same savings and 0 cache rewrites.
    expect(bodies).toEqual(single);
    for (let i = 1; i < bodies.length; i++) {
      expect(renderedPrompt(bodies[i]!).startsWith(renderedPrompt(bodies[i - 1]!))).toBe(true);
    }
    const hashes = markerHashes(bodies.at(-1)!);
    expect(hashes.length).toBeGreaterThan(3);
    for (const app of replicas) {
      for (const hash of hashes) {
        const res = await app.request(`/v1/retrieve/${hash}`, { headers: { "x-api-key": KEY } });
        expect(res.status).toBe(200);
        expect(
          ((await res.json()) as { original_content: string }).original_content.length,
        ).toBeGreaterThan(0);
      }
    }
    const shared = await savedBy(replicas, 30);
    expect(shared).toBe(await savedBy([alone], 30));
    expect(shared).toBeGreaterThan(0);
    // Every replica shows the team's figures beside its own; each replica saved a third or so.
    const teamOf = async (app: BuiltApp, path: string) =>
      ((await (await app.request(path)).json()) as { team: Team }).team;
    type Team = { replica: string; lifetime: { requests: number; tokens_saved: number } };
    await waitFor(() => redis.cli("HGET", "t1:team:lifetime", "requests").trim() === "30");
    for (const [i, app] of replicas.entries()) {
      const team = await teamOf(app, "/stats");
      expect(team.replica).toBe(`r${i + 1}`);
      expect(team.lifetime.requests).toBe(30);
      expect(team.lifetime.tokens_saved).toBe(shared);
      const own = (await (await app.request("/stats")).json()) as { requests: { total: number } };
      expect(own.requests.total).toBe(10);
      const history = (await teamOf(app, "/stats-history")) as Team & {
        hourly: { requests: number }[];
      };
      expect(history.hourly.reduce((n, hour) => n + hour.requests, 0)).toBe(30);
      // /metrics stays the replica's own, each sample labelled with its name.
      const metrics = await (await app.request("/metrics")).text();
      expect(metrics).toContain(`headroom_requests_total{replica="r${i + 1}"`);
    }
  }, 90_000);
});

interface Health {
  degraded?: string[];
  stores: Record<string, { status: string; held?: number }>;
}

async function healthOf(app: BuiltApp): Promise<Health> {
  return (await (await app.request("/health")).json()) as Health;
}

describe("Redis goes away and comes back", () => {
  test("no request fails, every replica reports degraded, recovers, and loses nothing", async () => {
    const bodies: string[] = [];
    const replicas = [replica(bodies, "t2:", true), replica(bodies, "t2:", true)];
    const session = new ClaudeSession("out");
    let turn = 0;
    const next = () => send(replicas[turn++ % 2]!, session.turn());
    for (let i = 0; i < 4; i++) expect(await next()).toBe(200);

    await redis.stop();
    for (let i = 0; i < 8; i++) expect(await next()).toBe(200);
    for (const app of replicas) {
      const health = await healthOf(app);
      expect(health.degraded).toContain("decisions");
      expect(health.stores.decisions!.status).toBe("degraded");
      const metrics = await (await app.request("/metrics")).text();
      expect(metrics).toContain('headroom_store_up{replica="r",store="decisions"} 0');
      const stats = (await (await app.request("/stats")).json()) as { team: { status: string } };
      expect(stats.team.status).toBe("unavailable");
    }
    // Retrieval a replica cannot answer from Redis says so: 503, try again later.
    const unknown = await replicas[0]!.request(`/v1/retrieve/${"a".repeat(24)}`);
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get("retry-after")).not.toBeNull();

    await redis.start();
    // The replicas find Redis again by themselves, write what they held, and serve on.
    for (let i = 0; i < 4; i++) {
      await Bun.sleep(250);
      expect(await next()).toBe(200);
    }
    for (const app of replicas) {
      let health = await healthOf(app);
      for (let i = 0; i < 200 && health.degraded; i++) {
        await Bun.sleep(100);
        await app.request(`/v1/retrieve/${"b".repeat(24)}`);
        await app.flush();
        health = await healthOf(app);
      }
      expect(health.degraded).toBeUndefined();
      for (const store of ["decisions", "originals", "hidden_calls"])
        expect(health.stores[store]!.held).toBe(0);
    }
    // The team's roll-ups count every request once, those finished while Redis was away too.
    await waitFor(() => redis.cli("HGET", "t2:team:lifetime", "requests").trim() === "16", 20_000);
    // Every marker any replica sent, during the outage too, is in Redis: a new replica redeems it.
    const fresh = replica([], "t2:");
    const hashes = new Set(bodies.flatMap((body) => markerHashes(body)));
    expect(hashes.size).toBeGreaterThan(2);
    for (const hash of hashes) {
      const res = await fresh.request(`/v1/retrieve/${hash}`, { headers: { "x-api-key": KEY } });
      expect(res.status).toBe(200);
    }
  }, 90_000);
});

describe("tenants", () => {
  test("two tenants with identical outputs never see each other's originals", async () => {
    const bodies: Record<string, string[]> = { a: [], b: [] };
    const first = replica(bodies.a!, "t3:");
    const second = replica(bodies.b!, "t3:");
    const sessions = { a: new ClaudeSession("same"), b: new ClaudeSession("same") };
    for (let turn = 0; turn < 8; turn++) {
      expect(await send(first, sessions.a.turn(), "sk-ant-tenant-a")).toBe(200);
      expect(await send(second, sessions.b.turn(), "sk-ant-tenant-b")).toBe(200);
    }
    // The same outputs compress the same way, so both conversations carry the same markers...
    const hashes = markerHashes(bodies.a!.at(-1)!);
    expect(hashes.length).toBeGreaterThan(1);
    expect(markerHashes(bodies.b!.at(-1)!)).toEqual(hashes);
    const retrieve = (app: BuiltApp, key: string, hash: string) =>
      app.request(`/v1/retrieve/${hash}`, { headers: { "x-api-key": key } });
    for (const hash of hashes) {
      // ...each redeemable by its own tenant through either replica...
      for (const app of [first, second]) {
        expect((await retrieve(app, "sk-ant-tenant-a", hash)).status).toBe(200);
        expect((await retrieve(app, "sk-ant-tenant-b", hash)).status).toBe(200);
      }
      // ...and by nobody else: a third caller finds nothing under the same hash.
      expect((await retrieve(first, "sk-ant-tenant-c", hash)).status).toBe(404);
    }
    // Stored twice, once per tenant, and no key names a credential.
    const keys = redis.cli("--scan", "--pattern", "t3:original:*").trim().split("\n");
    expect(keys).toHaveLength(hashes.length * 2);
    expect(keys.join(" ")).not.toContain("sk-ant");
  });
});
