/**
 * The shipped deploy/nginx.conf, run by the real nginx in front of three compiled replicas (each
 * with its own workspace and its own fake provider, so every request shows which replica sent
 * it). Only the upstream addresses and the listening port are rewritten for the test.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { DEPLOY_DIR } from "../helpers/deploy-files.ts";
import { closedPort, FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { anthropicStream } from "../helpers/wire.ts";

const TOKEN = "team-gateway-token-0123456789abcdef";
const MODEL = "claude-sonnet-4-5";
const upstreams = [new FakeUpstream(), new FakeUpstream(), new FakeUpstream()];
const replicas: RunningBinary[] = [];
let nginx: ReturnType<typeof Bun.spawn>;
let gateway = "";

/** deploy/nginx.conf with the replicas at `ports` and nginx listening on 127.0.0.1:`listen`. */
function templatedConf(ports: readonly number[], listen: number): string {
  let index = 0;
  const conf = readFileSync(join(DEPLOY_DIR, "nginx.conf"), "utf8")
    .replace(/server headroom-\d:8787 /g, () => `server 127.0.0.1:${ports[index++]} `)
    .replace(/^(\s*)listen 8787;/m, `$1listen 127.0.0.1:${listen};`);
  expect(index).toBe(ports.length);
  return conf;
}

beforeAll(async () => {
  for (const upstream of upstreams) {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-replica-"));
    replicas.push(
      await startBinary([], {
        HEADROOM_PROXY_TOKEN: TOKEN,
        HEADROOM_WORKSPACE_DIR: workspace,
        ANTHROPIC_TARGET_API_URL: upstream.url,
      }),
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "headroom-nginx-"));
  const listen = closedPort();
  const ports = replicas.map((r) => Number(new URL(r.url).port));
  writeFileSync(join(dir, "nginx.conf"), templatedConf(ports, listen));
  nginx = Bun.spawn(
    ["nginx", "-p", dir, "-c", join(dir, "nginx.conf"), "-g", `daemon off; pid ${dir}/nginx.pid;`],
    { stdout: "ignore", stderr: "pipe" },
  );
  gateway = `http://127.0.0.1:${listen}`;
  let up = false;
  const deadline = Date.now() + 10_000;
  while (!up && Date.now() < deadline && nginx.exitCode === null) {
    up = await fetch(`${gateway}/livez`).then(
      (res) => res.ok,
      () => false,
    );
    if (!up) await Bun.sleep(50);
  }
  if (!up)
    throw new Error(
      `nginx did not start: ${await new Response(nginx.stderr as ReadableStream).text()}`,
    );
});

afterAll(async () => {
  nginx?.kill("SIGTERM");
  await nginx?.exited;
  await Promise.all(replicas.map((r) => (r.proc.exitCode === null ? r.stop() : undefined)));
  for (const upstream of upstreams) upstream.stop();
});

function messages(stream: boolean, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway}/v1/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-api-key": "sk-ant-team-member",
      "x-headroom-proxy-token": TOKEN,
      ...headers,
    },
    body: JSON.stringify({
      model: MODEL,
      max_tokens: 64,
      stream,
      messages: [{ role: "user", content: "Say hello." }],
    }),
  });
}

/** Sends one request and says which replica's provider received it. */
async function servedBy(): Promise<number> {
  const before = upstreams.map((u) => u.requests.length);
  const res = await messages(false);
  expect(res.status).toBe(200);
  expect((await json(res)).type).toBe("message");
  const grew = upstreams.map((u, i) => u.requests.length - before[i]!);
  expect(grew.reduce((a, b) => a + b)).toBe(1);
  return grew.indexOf(1);
}

/**
 * The next streamed answer of every provider: the first two events at once, the rest only after
 * `release()`.
 */
function heldStream(text: string): { events: string[]; release: () => void } {
  const events = anthropicStream({ kind: "text", text }, MODEL);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const encoder = new TextEncoder();
  const respond = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode(events[0]! + events[1]!));
          await released;
          try {
            for (const event of events.slice(2)) controller.enqueue(encoder.encode(event));
            controller.close();
          } catch {
            // The replica that asked is gone: nobody reads this stream any more.
          }
        },
      }),
      { headers: { "content-type": "text/event-stream; charset=utf-8" } },
    );
  for (const upstream of upstreams) upstream.once(respond);
  return { events, release };
}

/** A response body read as text, chunk by chunk. */
function streamText(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const readToEnd = async (): Promise<string> => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  };
  /** Reads until the text holds `needle`, failing after 10 s; resolves with the text so far. */
  const readUntil = async (needle: string): Promise<string> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${needle} within 10 s: ${text}`)), 10_000);
    });
    const read = async () => {
      while (!text.includes(needle)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended before ${needle}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    };
    try {
      return await Promise.race([read(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { readUntil, readToEnd };
}

describe("nginx in front of three replicas", () => {
  test("round robin: each replica in turn", async () => {
    const order: number[] = [];
    for (let i = 0; i < 6; i++) order.push(await servedBy());
    expect(new Set(order.slice(0, 3)).size).toBe(3);
    expect(order.slice(3)).toEqual(order.slice(0, 3));
  });

  test("every caller is remote behind it: the token is required, the control plane hidden", async () => {
    const refused = await messages(false, { "x-headroom-proxy-token": "wrong" });
    expect(refused.status).toBe(401);
    expect((await json(refused)).type).toBe("error");
    for (const path of ["/v1/retrieve/0123456789abcdef01234567", "/admin/runtime-env"]) {
      const res = await fetch(`${gateway}${path}`, {
        headers: { "x-headroom-proxy-token": TOKEN },
      });
      expect(res.status).toBe(404);
    }
    // The same replica, asked directly from this machine, trusts its loopback caller.
    const direct = await fetch(`${replicas[0]!.url}/admin/runtime-env`);
    expect(direct.status).toBe(200);
  });

  test("a streamed answer is relayed event by event, byte for byte", async () => {
    const held = heldStream("Streaming through the gateway.");
    try {
      const res = await messages(true);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toStartWith("text/event-stream");
      const body = streamText(res);
      // The provider holds the rest until the client has the first events: a buffering load
      // balancer would never deliver them.
      expect(await body.readUntil(held.events[1]!)).toBe(held.events[0]! + held.events[1]!);
      held.release();
      expect(await body.readToEnd()).toBe(held.events.join(""));
    } finally {
      held.release();
      for (const upstream of upstreams) upstream.reset();
    }
  });

  test("a replica killed mid-stream: that client sees an error, no later request fails", async () => {
    const held = heldStream("This answer never finishes.");
    try {
      const before = upstreams.map((u) => u.requests.length);
      const res = await messages(true);
      const body = streamText(res);
      await body.readUntil(held.events[1]!);
      const victim = upstreams.findIndex((u, i) => u.requests.length > before[i]!);
      // The held answer waits on every provider; the other two must answer normally from now on.
      for (const upstream of upstreams) upstream.reset();
      replicas[victim]!.proc.kill("SIGKILL");
      await replicas[victim]!.proc.exited;
      // Not a stream that merely stops: nginx ends the response without its last chunk.
      await expect(body.readToEnd()).rejects.toThrow();

      const order: number[] = [];
      for (let i = 0; i < 6; i++) order.push(await servedBy());
      expect(order).not.toContain(victim);
      const counts = [0, 1, 2].map((i) => order.filter((served) => served === i).length);
      expect(counts.filter((n) => n > 0)).toEqual([3, 3]);
      expect((await fetch(`${gateway}/readyz`)).status).toBe(200);
    } finally {
      held.release();
      for (const upstream of upstreams) upstream.reset();
    }
  });
});
