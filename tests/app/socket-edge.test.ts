/**
 * The Responses WebSocket's handshake passes the same edge checks as an HTTP request before any
 * upstream socket is opened: the proxy token for remote callers, no foreign page origin, the
 * upstream override rules. The runtime's socket opener is the ConnEnv a server passes; here it
 * records whether it was asked to open anything.
 */

import { describe, expect, test } from "bun:test";
import type { SocketTarget } from "../../src/pipeline/client-request.ts";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const UPGRADE = {
  connection: "Upgrade",
  upgrade: "websocket",
  "sec-websocket-version": "13",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  authorization: "Bearer sk-socket-edge",
};

/** A connection whose runtime can relay sockets, remembering what it was asked to open. */
function socketConn(remoteAddress: string) {
  const opened: SocketTarget[] = [];
  return {
    opened,
    env: {
      remoteAddress,
      relaySocket: async (target: SocketTarget) => {
        opened.push(target);
        return undefined;
      },
    },
  };
}

describe("the WebSocket handshake at the edge", () => {
  test("a remote caller without the proxy token is refused before any socket opens", async () => {
    const app = buildApp({ env: { HEADROOM_PROXY_TOKEN: "tok-123" } });
    const conn = socketConn("192.0.2.7");
    const res = await app.request("/v1/responses", { headers: UPGRADE }, conn.env);
    expect(res.status).toBe(401);
    expect(conn.opened).toEqual([]);
    const withToken = socketConn("192.0.2.7");
    await app.request(
      "/v1/responses",
      { headers: { ...UPGRADE, "x-headroom-proxy-token": "tok-123" } },
      withToken.env,
    );
    expect(withToken.opened).toHaveLength(1);
  });

  test("a page on another origin cannot open the socket (no cross-site WebSocket hijacking)", async () => {
    const app = buildApp();
    const conn = socketConn("127.0.0.1");
    const res = await app.request(
      "/v1/responses",
      { headers: { ...UPGRADE, origin: "https://evil.example" } },
      conn.env,
    );
    expect(res.status).toBe(403);
    expect(conn.opened).toEqual([]);
  });

  test("the upstream socket is the configured base with the ws scheme, or an allowed override", async () => {
    const app = buildApp({ upstream: "https://api.openai.example" });
    const conn = socketConn("127.0.0.1");
    await app.request("/v1/responses?x=1", { headers: UPGRADE }, conn.env);
    expect(conn.opened[0]!.url).toBe("wss://api.openai.example/v1/responses?x=1");
    expect(conn.opened[0]!.headers.get("authorization")).toBe("Bearer sk-socket-edge");
    expect(conn.opened[0]!.headers.has("sec-websocket-key")).toBe(false);
    expect(conn.opened[0]!.headers.has("upgrade")).toBe(false);

    const remote = socketConn("192.0.2.9");
    const res = await app.request(
      "/v1/responses",
      { headers: { ...UPGRADE, "x-headroom-base-url": "http://elsewhere.example" } },
      remote.env,
    );
    expect(res.status).toBe(403);
    expect(remote.opened).toEqual([]);
  });

  test("credentials of two providers on one handshake are refused (404) and sent nowhere", async () => {
    const app = buildApp();
    const conn = socketConn("127.0.0.1");
    const res = await app.request(
      "/v1/responses",
      { headers: { ...UPGRADE, "x-api-key": "sk-ant-api03-not-for-openai" } },
      conn.env,
    );
    expect(res.status).toBe(404);
    expect((await json(res)).error.message).toContain("Nothing was sent upstream");
    expect(conn.opened).toEqual([]);
  });

  test("an upstream socket that does not open is answered 426 in OpenAI's shape", async () => {
    const app = buildApp();
    const conn = socketConn("127.0.0.1");
    const res = await app.request("/v1/responses", { headers: UPGRADE }, conn.env);
    expect(res.status).toBe(426);
    expect((await json(res)).error.message).toContain("use HTTP streaming");
  });
});
