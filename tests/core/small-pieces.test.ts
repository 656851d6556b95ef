import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { providerForCredentials } from "../../src/core/api.ts";
import { ConfigError, resolveConfig } from "../../src/core/config.ts";
import { isLoopbackAddress, isLoopbackHost, isLoopbackOrigin } from "../../src/core/loopback.ts";
import { backoffMs, retryAfterMs } from "../../src/core/retry.ts";
import { sha256Hex } from "../../src/core/sha256.ts";
import { joinUpstreamUrl, normalizeBaseUrl } from "../../src/core/upstream-url.ts";

describe("loopback", () => {
  test("isLoopbackAddress() accepts 127/8, ::1 and mapped forms only", () => {
    for (const ok of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"])
      expect(isLoopbackAddress(ok)).toBe(true);
    for (const no of [
      "10.0.0.1",
      "128.0.0.1",
      "127.0.0.256",
      "::2",
      "",
      undefined,
      "localhost",
      "0.0.0.0",
    ])
      expect(isLoopbackAddress(no)).toBe(false);
  });

  test("isLoopbackHost() reads host[:port] and [v6]:port and rejects look-alikes", () => {
    for (const ok of [
      "localhost",
      "LOCALHOST:8787",
      "127.0.0.1:1",
      "[::1]:8787",
      "[::1]",
      "localhost.",
    ])
      expect(isLoopbackHost(ok)).toBe(true);
    for (const no of [
      "localhost.evil.com",
      "127.0.0.1.nip.io",
      "evil.com:127",
      "[::1]x",
      "",
      null,
      "127.0.0.1:abc",
    ])
      expect(isLoopbackHost(no)).toBe(false);
  });

  test("isLoopbackOrigin() requires an http(s) origin on a loopback host", () => {
    expect(isLoopbackOrigin("http://localhost:5173")).toBe(true);
    expect(isLoopbackOrigin("https://127.0.0.1")).toBe(true);
    expect(isLoopbackOrigin("null")).toBe(false);
    expect(isLoopbackOrigin("http://localhost.evil.com")).toBe(false);
    expect(isLoopbackOrigin("file://localhost")).toBe(false);
  });
});

describe("upstream URLs", () => {
  test("normalizeBaseUrl() drops a trailing slash and /v1 and refuses non-http URLs", () => {
    expect(normalizeBaseUrl("https://api.openai.com/v1/")).toBe("https://api.openai.com");
    expect(normalizeBaseUrl("http://gw.local:4000/openai/v1")).toBe("http://gw.local:4000/openai");
    expect(() => normalizeBaseUrl("ftp://x")).toThrow(TypeError);
    expect(() => normalizeBaseUrl("not a url")).toThrow(TypeError);
    expect(() => normalizeBaseUrl("http://x/?q=1")).toThrow(TypeError);
  });

  test("joinUpstreamUrl() keeps the raw query verbatim", () => {
    expect(joinUpstreamUrl("http://a", "/v1/messages", "beta=true&x=%2F")).toBe(
      "http://a/v1/messages?beta=true&x=%2F",
    );
    expect(joinUpstreamUrl("http://a", "/v1/models", "")).toBe("http://a/v1/models");
  });

  test("providerForCredentials() picks Anthropic for its key, version header, token prefix or CLI user agent", () => {
    const p = (h: Record<string, string>) => providerForCredentials(new Headers(h));
    expect(p({ "x-goog-api-key": "AIza-k" })).toBe("gemini");
    expect(p({ "x-api-key": "k" })).toBe("anthropic");
    expect(p({ "anthropic-version": "2023-06-01" })).toBe("anthropic");
    expect(p({ authorization: "Bearer sk-ant-oat01-abc" })).toBe("anthropic");
    expect(p({ "user-agent": "claude-code/2.1.0" })).toBe("anthropic");
    expect(p({ authorization: "Bearer sk-proj-abc" })).toBe("openai");
    expect(p({})).toBe("openai");
  });
});

describe("retry timing", () => {
  test("retryAfterMs() reads retry-after-ms, seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(
      5000,
    );
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  test("backoffMs() grows exponentially, is capped, and jitters between 0.5x and 1.5x", () => {
    expect(backoffMs(0, 100, 10_000, 0.5)).toBe(100);
    expect(backoffMs(3, 100, 10_000, 0.5)).toBe(800);
    expect(backoffMs(10, 100, 1000, 0.5)).toBe(1000);
    expect(backoffMs(1, 100, 10_000, 0)).toBe(100);
    expect(backoffMs(1, 100, 10_000, 0.999)).toBe(300);
  });
});

describe("resolveConfig()", () => {
  test("flag beats environment beats default", () => {
    const env = {
      HEADROOM_PORT: "9000",
      OPENAI_TARGET_API_URL: "http://env.invalid/v1",
      HEADROOM_HOST: "0.0.0.0",
    };
    const config = resolveConfig(
      { port: "9100", "anthropic-api-url": "http://flag.invalid" },
      env,
      "/home/u",
    );
    expect(config.port).toBe(9100);
    expect(config.host).toBe("0.0.0.0");
    expect(config.upstreams.openai).toEqual({ url: "http://env.invalid", source: "env" });
    expect(config.upstreams.anthropic).toEqual({ url: "http://flag.invalid", source: "flag" });
    expect(config.workspaceDir).toBe("/home/u/.headroom");
    const defaults = resolveConfig({}, {}, "/h");
    expect(defaults.upstreams.openai).toEqual({ url: "https://api.openai.com", source: "default" });
    expect(defaults.upstreams.anthropic.url).toBe("https://api.anthropic.com");
    expect(defaults.port).toBe(8787);
    expect(defaults.upstreamTimeoutMs).toBe(300_000);
    expect(defaults.maxBodyBytes).toBe(100 * 1024 * 1024);
    expect(defaults.optimize).toBe(true);
    expect(resolveConfig({ "no-optimize": true }, {}, "/h").optimize).toBe(false);
    expect(resolveConfig({}, { HEADROOM_STATELESS: "yes" }, "/h").stateless).toBe(true);
  });

  test("unusable values are ConfigErrors naming the setting", () => {
    expect(() => resolveConfig({ port: "99999" }, {}, "/h")).toThrow(ConfigError);
    expect(() => resolveConfig({}, { ANTHROPIC_TARGET_API_URL: "nope" }, "/h")).toThrow(
      /ANTHROPIC_TARGET_API_URL/,
    );
    expect(() => resolveConfig({}, { HEADROOM_STATELESS: "maybe" }, "/h")).toThrow(
      /HEADROOM_STATELESS/,
    );
    expect(() => resolveConfig({ "log-level": "loud" }, {}, "/h")).toThrow(ConfigError);
  });
});

describe("sha256Hex()", () => {
  test("matches node:crypto on ASCII, multi-byte text and block boundaries", () => {
    for (const text of [
      "",
      "abc",
      "a".repeat(55),
      "a".repeat(56),
      "a".repeat(64),
      "naïve ☃ 😀".repeat(33),
    ]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
    }
  });
});
