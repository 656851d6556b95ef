/**
 * The original Headroom's launch lines against the compiled executable: every flag and
 * environment name of its `headroom proxy` (tests/fixtures/original-interface/launch-lines.json)
 * is headroom's own, maps onto a setting, is accepted with one info line, or is refused with exit
 * 2 and a message naming the alternative; none is ignored silently.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LEGACY_NAMES, legacyLabel } from "../../src/core/legacy-settings.ts";
import { SETTING_ROWS } from "../../src/core/settings.ts";
import fixture from "../fixtures/original-interface/launch-lines.json";
import { BINARY, type RunningBinary, startServerProcess } from "../helpers/binary.ts";
import { closedPort } from "../helpers/fake-upstream.ts";

type Handling = "own" | "maps" | "noop" | "refuses";
interface FlagLine {
  flag: string;
  value?: string;
  handling: Handling;
  says?: string;
}
interface EnvLine {
  env: string;
  value: string;
  handling: Handling;
  says?: string;
}

const FLAGS = fixture.flags as FlagLine[];
const ENV = fixture.env as EnvLine[];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "headroom-launch-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `value`, with the fixture's LOGFILE placeholder replaced by a file in `dir`. */
function concrete(value: string, dir: string): string {
  return value === "LOGFILE" ? join(dir, "headroom.log") : value;
}

function flagArgs(lines: readonly FlagLine[], dir: string): string[] {
  return lines.flatMap((l) =>
    l.value === undefined ? [l.flag] : [l.flag, concrete(l.value, dir)],
  );
}

function run(args: string[], env: Record<string, string>, home: string) {
  const proc = Bun.spawnSync([BINARY, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

/** The start-up lines that name `label` as an original setting. */
function notesFor(running: RunningBinary, label: string): { msg: string; level: string }[] {
  return running.lines
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg: string; level: string; original_setting?: string })
    .filter((line) => line.original_setting === label);
}

async function healthConfig(running: RunningBinary): Promise<Record<string, unknown>> {
  const res = await fetch(`${running.url}/health`);
  return ((await res.json()) as { config: Record<string, unknown> }).config;
}

describe("the fixture and the tables", () => {
  test("every flag of the original is in the fixture, handled as the tables say", () => {
    const ownFlags = new Set(
      SETTING_ROWS.flatMap(([, s]) => {
        const flag = s.flag;
        if (!flag) return [];
        return "short" in flag && flag.short
          ? [`--${flag.name}`, `-${flag.short}`]
          : [`--${flag.name}`];
      }),
    );
    for (const line of FLAGS) {
      const legacy = LEGACY_NAMES.find((n) => legacyLabel(n) === line.flag);
      if (line.handling === "own") {
        expect(ownFlags.has(line.flag)).toBe(true);
        expect(legacy).toBeUndefined();
      } else expect(legacy).toBeDefined();
    }
    const inFixture = new Set(FLAGS.map((l) => l.flag));
    for (const name of LEGACY_NAMES)
      if (name.flag) expect(inFixture.has(`--${name.flag}`)).toBe(true);
    const envInFixture = new Set(ENV.map((l) => l.env));
    for (const name of LEGACY_NAMES) if (name.env) expect(envInFixture.has(name.env)).toBe(true);
  });
});

describe("the original's launch lines against the executable", () => {
  test("every accepted flag in one launch line: it listens, with one info line per legacy flag", async () => {
    const dir = tempDir();
    // --rpm and --no-rate-limit both set the rate limit; the effect of each is tested below.
    const accepted = FLAGS.filter((l) => l.handling !== "refuses");
    const running = await startServerProcess(
      [BINARY, "proxy", ...flagArgs(accepted, dir), "--port", "0"],
      {},
      dir,
    );
    try {
      for (const line of accepted) {
        if (line.handling === "own") continue;
        const notes = notesFor(running, line.flag);
        expect(notes.map((n) => n.level)).toEqual(["info"]);
        expect(notes[0]!.msg).toContain(line.says!);
      }
    } finally {
      await running.stop();
    }
  });

  test("every accepted environment name at once: it listens, with one info line per legacy name", async () => {
    const dir = tempDir();
    const accepted = ENV.filter((l) => l.handling !== "refuses");
    const env = Object.fromEntries(accepted.map((l) => [l.env, concrete(l.value, dir)]));
    const running = await startServerProcess(
      [BINARY, "proxy", "--port", "0"],
      { ...env, HOME: dir, HEADROOM_PORT: "0" },
      dir,
    );
    try {
      for (const line of accepted) {
        const notes = notesFor(running, line.env);
        if (line.handling === "own") {
          expect(notes).toEqual([]);
          continue;
        }
        expect(notes.map((n) => n.level)).toEqual(["info"]);
        expect(notes[0]!.msg).toContain(line.says!);
      }
    } finally {
      await running.stop();
    }
  });

  test("each refused flag and variable exits 2 with a message naming the alternative", async () => {
    const home = tempDir();
    const refused = [
      ...FLAGS.filter((l) => l.handling === "refuses").map((l) => ({
        label: l.flag,
        args: flagArgs([l], home),
        env: {},
        says: l.says!,
      })),
      ...ENV.filter((l) => l.handling === "refuses").map((l) => ({
        label: l.env,
        args: [],
        env: { [l.env]: l.value },
        says: l.says!,
      })),
    ];
    expect(refused.length).toBeGreaterThan(10);
    // Each exits before listening; run them side by side to keep the test short.
    const results = await Promise.all(
      refused.map(async ({ label, args, env, says }) => {
        const proc = Bun.spawn([BINARY, "proxy", "--port", "0", ...args], {
          env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
          stdout: "ignore",
          stderr: "pipe",
        });
        const stderr = await new Response(proc.stderr).text();
        return { label, says, code: await proc.exited, stderr };
      }),
    );
    for (const { label, says, code, stderr } of results) {
      expect({ label, code }).toEqual({ label, code: 2 });
      expect(stderr).toStartWith(`headroom: ${label}`);
      expect(stderr).toContain(says);
      expect(stderr).not.toContain("listening");
    }
  }, 30_000);
});

describe("what the implemented names do", () => {
  test("-p picks the port, --log-file gets the log lines, --rpm sets the rate limit", async () => {
    const dir = tempDir();
    const port = closedPort();
    const logFile = join(dir, "proxy.log");
    const running = await startServerProcess(
      [BINARY, "proxy", "-p", String(port), "--log-file", logFile, "--rpm", "7"],
      { HEADROOM_WORKSPACE_DIR: join(dir, "ws") },
      dir,
    );
    try {
      expect(running.url).toBe(`http://127.0.0.1:${port}`);
      expect((await healthConfig(running)).rate_limit_rpm).toBe(7);
    } finally {
      await running.stop();
    }
    const written = readFileSync(logFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).msg);
    expect(written).toContain("listening");
    expect(written).toContain("stopped");
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  });

  test("HEADROOM_RPM and HEADROOM_LOG_FILE act as --rpm and --log-file; --no-rate-limit beats the variable and --rpm", async () => {
    const dir = tempDir();
    const logFile = join(dir, "env.log");
    const running = await startServerProcess(
      [BINARY, "proxy", "--port", "0"],
      { HEADROOM_RPM: "9", HEADROOM_LOG_FILE: logFile, HEADROOM_WORKSPACE_DIR: join(dir, "ws") },
      dir,
    );
    try {
      expect((await healthConfig(running)).rate_limit_rpm).toBe(9);
    } finally {
      await running.stop();
    }
    expect(readFileSync(logFile, "utf8")).toContain('"msg":"listening"');

    const unlimited = await startServerProcess(
      [BINARY, "proxy", "--port", "0", "--rpm", "7", "--no-rate-limit", "--stateless"],
      { HEADROOM_RATE_LIMIT_RPM: "5" },
      dir,
    );
    try {
      expect((await healthConfig(unlimited)).rate_limit_rpm).toBe(0);
    } finally {
      await unlimited.stop();
    }
  });

  test("--log-file with --stateless writes nothing and says so", async () => {
    const dir = tempDir();
    const logFile = join(dir, "never.log");
    const running = await startServerProcess(
      [BINARY, "proxy", "--port", "0", "--stateless", "--log-file", logFile],
      {},
      dir,
    );
    await running.stop();
    expect(
      running.lines.some((l) => l.includes("--log-file is not written with --stateless")),
    ).toBe(true);
    expect(() => statSync(logFile)).toThrow();
  });
});

describe("headroom doctor", () => {
  test("lists the original's variables it finds and what each does here", () => {
    const dir = tempDir();
    const result = run(
      ["doctor", "--port", String(closedPort()), "--workspace-dir", join(dir, "ws")],
      {
        HEADROOM_RPM: "9",
        HEADROOM_CORS_ORIGINS: "https://example.test",
        HEADROOM_BACKEND: "bedrock",
      },
      dir,
    );
    const lines = result.stdout.split("\n").filter((l) => l.includes("  original  "));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ok\s+original\s+maps: HEADROOM_RPM sets HEADROOM_RATE_LIMIT_RPM=9/);
    expect(lines[1]).toMatch(/^fail\s+original\s+headroom proxy stops on it: HEADROOM_BACKEND/);
    expect(lines[2]).toMatch(/^ok\s+original\s+noop: HEADROOM_CORS_ORIGINS changes nothing/);
    expect(result.stdout).toContain("fix: unset HEADROOM_BACKEND");
    expect(result.code).toBe(1);
  });
});
