import { describe, expect, test } from "bun:test";
import { parseProxyArgs } from "../../src/cli/proxy-args.ts";
import { ConfigError, resolveConfig } from "../../src/core/config.ts";
import { RuntimeSettings } from "../../src/core/runtime-settings.ts";

const HOME = "/home/u";

describe("the original Headroom's names in the configuration", () => {
  test("headroom's own flag beats the original's flag, which beats either variable", () => {
    const config = (args: string[], env: Record<string, string> = {}) =>
      resolveConfig(parseProxyArgs(args), env, HOME);
    expect(config(["--rpm", "7"]).rateLimitRpm).toBe(7);
    expect(config(["--rpm", "7"], { HEADROOM_RATE_LIMIT_RPM: "5" }).rateLimitRpm).toBe(7);
    expect(config([], { HEADROOM_RPM: "9" }).rateLimitRpm).toBe(9);
    expect(config([], { HEADROOM_RPM: "9", HEADROOM_RATE_LIMIT_RPM: "5" }).rateLimitRpm).toBe(5);
    expect(config(["--rpm", "7", "--no-rate-limit"]).rateLimitRpm).toBe(0);
    expect(config(["--protect-tool-results", "Read,Grep"]).excludeTools).toEqual(["Read", "Grep"]);
    expect(config(["-p", "9123"]).port).toBe(9123);
    expect(() => config(["--rpm", "lots"])).toThrow(
      '--rpm must be a number from 0 to 1000000 (got "lots")',
    );
  });

  test("a live override beats the original's flag it competes with", () => {
    const settings = new RuntimeSettings(parseProxyArgs(["--rpm", "7"]), {}, HOME);
    expect(settings.current.rateLimitRpm).toBe(7);
    expect(settings.apply({ HEADROOM_RATE_LIMIT_RPM: "3" }).applied).toEqual({
      HEADROOM_RATE_LIMIT_RPM: "3",
    });
    expect(settings.current.rateLimitRpm).toBe(3);
  });

  test("refused names stop the proxy; harmless values of them do not", () => {
    const start = (args: string[], env: Record<string, string> = {}) =>
      new RuntimeSettings(parseProxyArgs(args), env, HOME);
    expect(() => start(["--memory"])).toThrow(ConfigError);
    expect(() => start([], { HEADROOM_BUDGET: "10" })).toThrow("HEADROOM_BUDGET is not supported");
    expect(() => start(["--backend", "bedrock"])).toThrow("--backend is not supported");
    expect(start(["--backend", "anthropic"]).current.port).toBe(8787);
    expect(() => start(["--mode", "fast"])).toThrow("--mode must be one of token, cache");
    expect(start(["--mode", "CACHE", "--no-cache", "--workers", "4"]).current.cache).toBe(false);
  });
});
