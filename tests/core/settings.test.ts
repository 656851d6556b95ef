import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROXY_HELP } from "../../src/cli/help.ts";
import { parseProxyArgs } from "../../src/cli/proxy-args.ts";
import { UsageError } from "../../src/cli/usage-error.ts";
import {
  ConfigError,
  type ProxyConfig,
  type ProxyFlags,
  resolveConfig,
} from "../../src/core/config.ts";
import { LIVE_KEYS, RESTART_KEYS, RuntimeSettings } from "../../src/core/runtime-settings.ts";
import {
  type AnySetting,
  isSwitch,
  SETTING_ROWS,
  type SettingValues,
  shownDefault,
} from "../../src/core/settings.ts";

const HOME = "/home/u";

/** For every setting, a valid text that differs from its default. */
const SAMPLES: Record<keyof SettingValues, string> = {
  host: "0.0.0.0",
  port: "9123",
  openaiApiUrl: "http://openai.invalid/v1",
  anthropicApiUrl: "http://anthropic.invalid",
  geminiApiUrl: "http://gemini.invalid/v1beta",
  chatgptApiUrl: "http://chatgpt.invalid/backend-api/codex",
  optimize: "off",
  workspaceDir: "/srv/headroom",
  stateless: "on",
  redisUrl: "redis://redis.internal:6379",
  tenantHeader: "x-team",
  replicaId: "headroom-2",
  upstreamTimeoutMs: "2.5",
  retryMaxAttempts: "5",
  logLevel: "debug",
  cache: "yes",
  logFile: "/srv/headroom.log",
  logMessages: "1",
  proxyToken: "t0ken",
  originalSavingsPath: "/srv/old/proxy_savings.json",
  remoteBaseUrl: "true",
  requireProxyToken: "on",
  maxBodyBytes: "2048",
  shutdownGraceMs: "4",
  retryBaseDelayMs: "7",
  retryMaxDelayMs: "900",
  compression: "off",
  lossy: "no",
  compactOnExpiry: "off",
  providerCacheTtlSeconds: "2",
  compressionBudgetMs: "80",
  minTokens: "10",
  minSavedTokens: "5",
  minSavingsRatio: "0.5",
  excludeTools: "Read, Grep",
  ccrTtlSeconds: "60",
  ccrMaxBytes: "4096",
  ccrMaxRounds: "1",
  cacheTtlSeconds: "30",
  cacheMaxBytes: "8192",
  rateLimitRpm: "60",
  outputShaper: "on",
  outputHoldout: "0.25",
  verbosityLevel: "3",
  effortRouter: "off",
  mechanicalEffort: "medium",
  ledgerRetentionDays: "7",
  ledgerMaxRows: "5000",
};

/** A setting's value as the resolved configuration holds it. */
function settingIn(config: ProxyConfig, name: keyof SettingValues): unknown {
  if (name === "openaiApiUrl") return config.upstreams.openai.url;
  if (name === "anthropicApiUrl") return config.upstreams.anthropic.url;
  if (name === "geminiApiUrl") return config.upstreams.gemini.url;
  if (name === "chatgptApiUrl") return config.upstreams.chatgpt.url;
  return config[name];
}

/** The flags that give `setting` the text `value`, when its flag can. */
function flagsFor(setting: AnySetting, value: string): ProxyFlags | undefined {
  const flag = setting.flag;
  if (!flag) return undefined;
  if (isSwitch(flag)) return flag.sets === value ? { [flag.name]: true } : undefined;
  return { [flag.name]: value };
}

describe("the settings table", () => {
  test("every row's default, environment variable and flag resolve to the value they say", () => {
    const defaults = resolveConfig({}, {}, HOME);
    for (const [name, setting] of SETTING_ROWS) {
      const sample = SAMPLES[name];
      const expected = setting.kind.read(sample, HOME);
      expect(expected).toBeDefined();
      expect(settingIn(defaults, name)).not.toEqual(expected);
      const fromDefault =
        setting.default === undefined ? undefined : setting.kind.read(setting.default, HOME);
      expect(settingIn(defaults, name)).toEqual(fromDefault);

      const fromEnv = resolveConfig({}, { [setting.env]: sample }, HOME);
      expect(settingIn(fromEnv, name)).toEqual(expected);

      // The flag beats the variable set to the default (a switch flag says its one word).
      const flagText = setting.flag && isSwitch(setting.flag) ? setting.flag.sets : sample;
      const flags = flagsFor(setting, flagText);
      if (flags) {
        const fromFlag = resolveConfig(flags, { [setting.env]: setting.default ?? "" }, HOME);
        expect(settingIn(fromFlag, name)).toEqual(setting.kind.read(flagText, HOME));
      }
    }
    expect(
      resolveConfig({}, { OPENAI_TARGET_API_URL: SAMPLES.openaiApiUrl }, HOME).upstreams,
    ).toEqual({
      openai: { url: "http://openai.invalid", source: "env" },
      anthropic: { url: "https://api.anthropic.com", source: "default" },
      gemini: { url: "https://generativelanguage.googleapis.com", source: "default" },
      chatgpt: { url: "https://chatgpt.com/backend-api/codex", source: "default" },
    });
    expect(defaults.workspaceDir).toBe(`${HOME}/.headroom`);
    expect(defaults.upstreamTimeoutMs).toBe(300_000);
    expect(resolveConfig({}, { HEADROOM_WORKSPACE_DIR: "~/hr" }, HOME).workspaceDir).toBe(
      `${HOME}/hr`,
    );
  });

  test("a value that cannot be used names the flag or the variable the user typed", () => {
    let checked = 0;
    for (const [, setting] of SETTING_ROWS) {
      const bad = "not-a-value";
      if (setting.kind.read(bad, HOME) !== undefined) continue;
      checked++;
      const envError = () => resolveConfig({}, { [setting.env]: bad }, HOME);
      expect(envError).toThrow(ConfigError);
      expect(envError).toThrow(`${setting.env} must be ${setting.kind.expects} (got "${bad}")`);
      const flags = flagsFor(setting, bad);
      if (flags && setting.flag) {
        expect(() => resolveConfig(flags, {}, HOME)).toThrow(
          `--${setting.flag.name} must be ${setting.kind.expects} (got "${bad}")`,
        );
      }
    }
    expect(checked).toBeGreaterThan(25);
    expect(() => resolveConfig({ port: "abc" }, {}, HOME)).toThrow(
      '--port must be an integer from 0 to 65535 (got "abc")',
    );
    expect(() => resolveConfig({}, { HEADROOM_PORT: "8787.5" }, HOME)).toThrow(
      'HEADROOM_PORT must be an integer from 0 to 65535 (got "8787.5")',
    );
  });

  test("both entries' flag parser accepts every flag in the table, and nothing else", () => {
    const args: string[] = [];
    for (const [name, setting] of SETTING_ROWS) {
      const flag = setting.flag;
      if (!flag) continue;
      if (isSwitch(flag)) args.push(`--${flag.name}`);
      else args.push(`--${flag.name}`, SAMPLES[name]);
    }
    const config = resolveConfig(parseProxyArgs(args), {}, HOME);
    for (const [name, setting] of SETTING_ROWS) {
      const flag = setting.flag;
      if (!flag) continue;
      const text = isSwitch(flag) ? flag.sets : SAMPLES[name];
      expect(settingIn(config, name)).toEqual(setting.kind.read(text, HOME));
    }
    expect(config.upstreams.openai.source).toBe("flag");
    expect(parseProxyArgs(["-h"]).help).toBe(true);
    expect(() => parseProxyArgs(["--proxy-token", "x"])).toThrow(UsageError);
    expect(() => parseProxyArgs(["stray"])).toThrow(UsageError);
  });

  test("live rows apply through the runtime settings at once; the others ask for a restart", () => {
    expect([...LIVE_KEYS, ...RESTART_KEYS].sort()).toEqual(
      SETTING_ROWS.map(([, s]) => s.env)
        .filter((env) => env.startsWith("HEADROOM_"))
        .sort(),
    );
    for (const [name, setting] of SETTING_ROWS) {
      if (!setting.env.startsWith("HEADROOM_")) continue;
      const settings = new RuntimeSettings({}, {}, HOME);
      const change = settings.apply({ [setting.env]: SAMPLES[name] });
      if (setting.live) {
        expect(change.applied).toEqual({ [setting.env]: SAMPLES[name] });
        expect(settingIn(settings.current, name)).toEqual(setting.kind.read(SAMPLES[name], HOME));
        expect(settings.describe()[setting.env]).toEqual({
          value: SAMPLES[name],
          source: "override",
        });
      } else {
        expect(change.restartRequired).toEqual([setting.env]);
        expect(settingIn(settings.current, name)).not.toEqual(
          setting.kind.read(SAMPLES[name], HOME),
        );
      }
    }
    // An override beats the flag it competes with, and its error names the variable.
    const flagged = new RuntimeSettings({ "log-level": "warn" }, {}, HOME);
    expect(flagged.describe().HEADROOM_LOG_LEVEL).toEqual({ value: "warn", source: "flag" });
    flagged.apply({ HEADROOM_LOG_LEVEL: "error" });
    expect(flagged.current.logLevel).toBe("error");
    expect(flagged.apply({ HEADROOM_RETRY_MAX_ATTEMPTS: "0" }).rejected).toEqual({
      HEADROOM_RETRY_MAX_ATTEMPTS:
        'HEADROOM_RETRY_MAX_ATTEMPTS must be an integer from 1 to 10 (got "0")',
    });
  });

  test("proxy --help lists every flag and every variable with its default", () => {
    for (const [, setting] of SETTING_ROWS) {
      const line = PROXY_HELP.split("\n").find((l) =>
        setting.flag
          ? l.startsWith(`  --${setting.flag.name} `) || l.startsWith(`  --${setting.flag.name}, `)
          : l.startsWith(`  ${setting.env} `),
      );
      expect(line).toBeDefined();
      expect(line).toContain(setting.help);
      expect(line).toContain(`default ${shownDefault(setting)}`);
      if (setting.flag) expect(line).toContain(setting.env);
    }
  });
});

/** The README's Configuration table as the settings table says it must read. */
function readmeTable(): string {
  const rows = SETTING_ROWS.map(([, s]) => {
    const flag = s.flag ? `\`--${s.flag.name}\`` : "";
    const shown = shownDefault(s);
    const fallback = s.default === undefined || s.default === "" ? shown : `\`${shown}\``;
    const applies = s.live ? "live" : "restart";
    return `| ${flag} | \`${s.env}\` | ${s.kind.expects} | ${fallback} | ${applies} | ${s.help} |`;
  });
  return [
    "| Flag | Environment | Takes | Default | Applies | Meaning |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

describe("README", () => {
  test("its Configuration table is the settings table", () => {
    const readme = readFileSync(join(import.meta.dir, "..", "..", "README.md"), "utf8");
    const start = readme.indexOf("| Flag | Environment |");
    const end = readme.indexOf("\n\n", start);
    expect(readme.slice(start, end)).toBe(readmeTable());
  });
});
