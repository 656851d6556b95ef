/**
 * A team gateway as it runs: a real redis-server, three compiled replicas (dist/headroom with
 * HEADROOM_REDIS_URL) and a round-robin load balancer in front of them, each request on the next
 * replica. A 30-turn Claude Code session (streamed) goes upstream with every prompt extending
 * the previous one byte for byte, and every marker is redeemable through every replica; a
 * replica killed mid-stream gives that client a clean error, and the same turn sent again goes
 * upstream byte for byte as the killed replica sent it; Redis stopped under load fails no
 * request, every replica reports degraded and recovers, and every marker sent meanwhile is
 * redeemable on every replica afterwards. The outage lasts 2 s here; TEAM_OUTAGE_SECONDS=30
 * plays the 30 s drill (the test then runs about a minute).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { markerHashes } from "../../src/compress/marker.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { ClaudeSession, renderedPrompt } from "../helpers/claude-session.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { RedisServer } from "../helpers/redis-server.ts";

const KEY = "sk-ant-team-gateway";
const OUTAGE_MS = Number(process.env.TEAM_OUTAGE_SECONDS ?? "2") * 1000;
const redis = new RedisServer();
const upstream = new FakeUpstream();
const replicas: RunningBinary[] = [];
let next = 0;
// Which replica served each request through the balancer, in order.
const served: number[] = [];

/** A replica's answer body as the balancer relays it: cut off (without a logged reason) if the
 * replica dies mid-stream, as a real balancer resets the client's connection. */
function relayed(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        controller.error(undefined);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** A round-robin balancer: each request goes to the next replica still running. */
const balancer = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const index = next++ % replicas.length;
    served.push(index);
    const target = new URL(new URL(request.url).pathname, replicas[index]!.url);
    const body = request.method === "GET" ? undefined : await request.arrayBuffer();
    const headers = new Headers(request.headers);
    headers.delete("host");
    const answer = await fetch(target, { method: request.method, headers, body });
    return new Response(relayed(answer.body), { status: answer.status, headers: answer.headers });
  },
});

async function startReplica(index: number): Promise<RunningBinary> {
  return startBinary(["--stateless"], {
    HEADROOM_REDIS_URL: redis.url,
    HEADROOM_REPLICA_ID: `r${index + 1}`,
    ANTHROPIC_TARGET_API_URL: upstream.url,
    HEADROOM_COMPRESSION_BUDGET_MS: "30000",
    HEADROOM_WORKSPACE_DIR: mkdtempSync(join(tmpdir(), "headroom-team-")),
    HEADROOM_LOG_LEVEL: "info",
  });
}

beforeAll(async () => {
  await redis.start();
  for (let i = 0; i < 3; i++) replicas.push(await startReplica(i));
});

afterAll(async () => {
  balancer.stop(true);
  for (const replica of replicas) await replica.stop("SIGKILL");
  upstream.stop();
  await redis.kill();
});

/** Sends one turn through the balancer and reads the whole stream; the text it received. */
async function turn(body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${balancer.port}/v1/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": KEY,
      "anthropic-version": "2023-06-01",
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const upstreamBodies = () =>
  upstream.requests
    .filter((request) => request.path === "/v1/messages")
    .map((request) => new TextDecoder().decode(request.body));

describe("three compiled replicas behind a balancer, on one Redis", () => {
  test("a 30-turn session: 0 cache rewrites, every marker redeemable on every replica", async () => {
    upstream.reset();
    const session = new ClaudeSession("gw", true);
    for (let i = 0; i < 30; i++) {
      const answer = await turn(session.turn());
      expect(answer.status).toBe(200);
      expect(answer.text).toContain("event: message_stop");
    }
    expect(new Set(served.slice(-30))).toEqual(new Set([0, 1, 2]));
    const bodies = upstreamBodies();
    expect(bodies).toHaveLength(30);
    for (let i = 1; i < bodies.length; i++) {
      expect(renderedPrompt(bodies[i]!).startsWith(renderedPrompt(bodies[i - 1]!))).toBe(true);
    }
    const hashes = markerHashes(bodies.at(-1)!);
    expect(hashes.length).toBeGreaterThan(3);
    for (const replica of replicas) {
      for (const hash of hashes) {
        const res = await fetch(`${replica.url}/v1/retrieve/${hash}`, {
          headers: { "x-api-key": KEY },
        });
        expect(res.status).toBe(200);
      }
    }
  }, 120_000);

  test("a replica killed mid-stream: a clean error, and the turn sent again goes on byte for byte", async () => {
    upstream.reset();
    const session = new ClaudeSession("kill", true);
    for (let i = 0; i < 3; i++) expect((await turn(session.turn())).status).toBe(200);
    const body = session.turn();
    upstream.eventDelayMs = 300;
    const victim = next % replicas.length;
    const res = await fetch(`http://127.0.0.1:${balancer.port}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEY },
      body,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await replicas[victim]!.stop("SIGKILL");
    // The stream ends early, with an error or cut short: never a hang, never a message_stop.
    let rest = "";
    const ended = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return "ended";
          rest += new TextDecoder().decode(value);
        }
      } catch {
        return "error";
      }
    })();
    expect(["ended", "error"]).toContain(ended);
    expect(rest).not.toContain("message_stop");
    upstream.eventDelayMs = 0;
    replicas[victim] = await startReplica(victim);

    // The client sends the turn again; another replica sends upstream what the killed one did.
    const again = await turn(body);
    expect(again.status).toBe(200);
    const bodies = upstreamBodies();
    expect(bodies.at(-1)).toBe(bodies.at(-2)!);
    expect((await turn(session.turn())).status).toBe(200);
    const after = upstreamBodies();
    expect(renderedPrompt(after.at(-1)!).startsWith(renderedPrompt(after.at(-2)!))).toBe(true);
  }, 120_000);

  test("Redis restarted under load: no request fails, every replica degrades and recovers", async () => {
    upstream.reset();
    const sessions = Array.from({ length: 3 }, (_, i) => new ClaudeSession(`load${i}`, true));
    const statuses: number[] = [];
    let stop = false;
    const load = sessions.map(async (session) => {
      while (!stop) statuses.push((await turn(session.turn())).status);
    });
    await Bun.sleep(500);
    await redis.stop();
    const degraded = async (replica: RunningBinary) =>
      ((await (await fetch(`${replica.url}/health`)).json()) as { degraded?: string[] }).degraded;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const all = await Promise.all(replicas.map(degraded));
      if (all.every((names) => names?.includes("decisions"))) break;
      await Bun.sleep(100);
    }
    for (const replica of replicas) expect(await degraded(replica)).toContain("decisions");
    await Bun.sleep(OUTAGE_MS);
    await redis.start();
    const recovered = Date.now() + 30_000;
    while (Date.now() < recovered) {
      const all = await Promise.all(replicas.map(degraded));
      if (all.every((names) => names === undefined)) break;
      await Bun.sleep(200);
    }
    stop = true;
    await Promise.all(load);
    for (const replica of replicas) expect(await degraded(replica)).toBeUndefined();
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Nothing stored is lost: every marker that went upstream, during the outage too.
    const hashes = new Set(upstreamBodies().flatMap((body) => markerHashes(body)));
    expect(hashes.size).toBeGreaterThan(0);
    for (const replica of replicas) {
      for (const hash of hashes) {
        const res = await fetch(`${replica.url}/v1/retrieve/${hash}`, {
          headers: { "x-api-key": KEY },
        });
        expect(res.status).toBe(200);
      }
    }
  }, 180_000);
});
