/**
 * A store that is locked, unwritable or full never fails a request, and headroom says so: for
 * each of the three stores (originals, decisions, ledger) the real conditions on a real SQLite
 * database (another connection's write lock, a read-only connection, a file that may not grow),
 * fault injectors for what cannot be made real cheaply (read failures, ENOSPC/EACCES), recovery,
 * and the surfaces that report it (/health, /stats, one warning per episode).
 */

import type { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { GuardedDecisionStore } from "../../src/store/guarded-decision-store.ts";
import { GuardedLedgerStore } from "../../src/store/guarded-ledger.ts";
import { GuardedOriginalStore } from "../../src/store/guarded-original-store.ts";
import { SqliteDecisionStore } from "../../src/store/sqlite-decision-store.ts";
import { SqliteLedgerStore } from "../../src/store/sqlite-ledger.ts";
import { SqliteOriginalStore } from "../../src/store/sqlite-original-store.ts";
import { StoreStatus } from "../../src/store/store-status.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { type BuildOptions, buildApp, serveApp, waitFor } from "../helpers/proxy.ts";
import {
  type FaultKind,
  FaultyDecisionStore,
  FaultyLedgerStore,
  FaultyOriginalStore,
  FaultyWorkspace,
} from "../helpers/store-faults.ts";
import { anthropicMessage, anthropicStream } from "../helpers/wire.ts";

// --- conversations ---------------------------------------------------------------------------

/** A tool output lossy compression shortens behind a marker (and lossless JSON still shortens). */
const users = (seed: string) =>
  JSON.stringify(
    Array.from({ length: 60 }, (_, i) => ({
      id: i + 1,
      name: `${seed}-user${i}`,
      email: `${seed}${i}@example.com`,
      status: i % 7 ? "active" : "disabled",
      created_at: `2025-01-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z`,
    })),
    null,
    2,
  );

const toolTurn = (id: string, output: string) => [
  { role: "assistant", content: [{ type: "tool_use", id, name: "Bash", input: { command: id } }] },
  { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: output }] },
];

/** A Claude request whose tool outputs are `outputs`, the last one in the newest turn. */
function conversation(...outputs: string[]) {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object" } }],
    messages: [
      { role: "user", content: "Which users are disabled?" },
      ...outputs.flatMap((output, i) => toolTurn(`toolu_${i + 1}`, output)),
    ],
  };
}

const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const REPLY = anthropicMessage({ kind: "text", text: "Three users are disabled." }, "claude");

/** The app with a recording upstream. */
function recordingApp(options: BuildOptions = {}) {
  const bodies: string[] = [];
  const built = buildApp({
    ...options,
    // Tests never depend on wall-clock time: a generous compression budget.
    env: { HEADROOM_COMPRESSION_BUDGET_MS: "60000", ...options.env },
    fetch: async (_url, init) => {
      bodies.push(new TextDecoder().decode(init.body as Uint8Array));
      return new Response(REPLY, { headers: { "content-type": "application/json" } });
    },
  });
  /** Sends one request; the response must be the upstream's, whatever the stores do. */
  const send = async (body: unknown) => {
    const before = built.exchanges.length;
    const res = await built.request("/v1/messages", post(body));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(REPLY);
    await waitFor(() => built.exchanges.length > before);
  };
  // biome-ignore lint/suspicious/noExplicitAny: tests read headroom's JSON by field
  const json = async (path: string): Promise<any> => (await built.request(path)).json();
  return { ...built, bodies, send, json };
}

type Message = { role: string; content: string | { content: string }[] };

/** The tool outputs of a forwarded request, in order. */
const outputsOf = (body: string): string[] =>
  (JSON.parse(body).messages as Message[]).flatMap((m) =>
    m.role === "user" && Array.isArray(m.content) ? [m.content[0]!.content] : [],
  );

/** The text an Anthropic stream delivers. */
const streamedText = (sse: string): string =>
  [...sse.matchAll(/"text_delta","text":("(?:[^"\\]|\\.)*")/g)]
    .map((m) => JSON.parse(m[1]!) as string)
    .join("");

const MARKER = /hash=([0-9a-f]{24})/;

// --- real conditions -------------------------------------------------------------------------

type Condition = "locked" | "unwritable" | "full";
const CODE: Record<Condition, string> = {
  locked: "SQLITE_BUSY",
  unwritable: "SQLITE_READONLY",
  full: "SQLITE_FULL",
};
const CONDITIONS = Object.keys(CODE) as Condition[];

const spaces: FaultyWorkspace[] = [];
afterAll(() => {
  for (const space of spaces) space.unlock();
});

/**
 * A store made by `make` over a real database that suffers `condition` once `start()` runs:
 * another connection holds the write lock, the file may not grow, or the store's connection may
 * only read. `heal()` lifts it (a read-only connection stays read-only).
 */
function realFault<T>(condition: Condition, make: (db: Database) => T) {
  const space = new FaultyWorkspace();
  spaces.push(space);
  const onWritable = make(space.db); // creates the tables
  if (condition === "unwritable")
    return { space, store: make(space.readOnly()), start() {}, heal() {} };
  return {
    space,
    store: onWritable,
    start: () => (condition === "locked" ? space.lock() : space.fill()),
    heal: () => (condition === "locked" ? space.unlock() : space.unfill()),
  };
}

/** A clock the guards read, so recovery needs no waiting. */
function clocked(name: string) {
  const clock = { now: Date.now() };
  return { clock, status: new StoreStatus(name, { now: () => clock.now, retryMs: 1000 }) };
}

const warningsAbout = (logs: Record<string, unknown>[], store: string) =>
  logs.filter((line) => line.level === "warn" && line.store === store);

// --- the original store ----------------------------------------------------------------------

describe("original store", () => {
  for (const condition of CONDITIONS) {
    test(`${condition}: lossy items fall back to lossless, no marker is sent, history stays stable, and headroom says so`, async () => {
      const fault = realFault(condition, (db) => new SqliteOriginalStore(db));
      fault.start();
      // A frozen clock: however slow the machine, no retry falls due during the test.
      const { status } = clocked("originals");
      const app = recordingApp({ originals: new GuardedOriginalStore(fault.store, status) });
      const first = users("a");
      await app.send(conversation(first));
      const [sent1] = outputsOf(app.bodies[0]!);
      // Compressed, but losslessly: nothing the model would have to redeem.
      expect(sent1!.length).toBeLessThan(first.length);
      expect(sent1).not.toMatch(MARKER);
      // The tool set does not follow the store's health: headroom_retrieve stays declared.
      expect(app.bodies[0]).toContain('"name":"headroom_retrieve"');

      // The next turn replays exactly those bytes (the decision remembered what was sent), and
      // while the store backs off the new output is planned lossless from the start.
      const second = users("b");
      await app.send(conversation(first, second));
      const [replayed, sent2] = outputsOf(app.bodies[1]!);
      expect(replayed).toBe(sent1!);
      expect(sent2!.length).toBeLessThan(second.length);
      expect(app.bodies[1]).not.toMatch(MARKER);

      const health = await app.json("/health");
      expect(health).toMatchObject({ status: "healthy", degraded: expect.any(Array) });
      expect(health.stores.originals).toMatchObject({
        status: "degraded",
        failing: ["write"],
        last_error: { code: CODE[condition], op: "write" },
      });
      expect(health.stores.decisions.status).toBe("ok");
      expect(health.stores.ledger.status).toBe("ok");
      const stats = await app.json("/stats");
      expect(stats.store_errors).toEqual({
        originals: 1,
        decisions: 0,
        ledger: 0,
        conversations: 0,
      });
      expect(warningsAbout(app.logs, "originals")).toHaveLength(1);
      expect(warningsAbout(app.logs, "originals")[0]).toMatchObject({ code: CODE[condition] });
    });
  }

  for (const kind of ["ENOSPC", "EACCES"] as FaultKind[]) {
    test(`${kind}: the same fallback, with the system's code in /health`, async () => {
      const originals = new FaultyOriginalStore();
      originals.faults.fail(kind);
      const app = recordingApp({ originals });
      await app.send(conversation(users("c")));
      expect(app.bodies[0]).not.toMatch(MARKER);
      expect(originals.faults.thrown).toBe(1);
      const health = await app.json("/health");
      expect(health.stores.originals.last_error.code).toBe(kind);
    });
  }

  test("a fallback that would not pay sends the output as it came, and remembers that", async () => {
    const originals = new FaultyOriginalStore();
    originals.faults.fail("SQLITE_FULL");
    // A rewrite must save 70%: the lossy one does (about 85%), the lossless one (about 50%) not.
    const app = recordingApp({ originals, env: { HEADROOM_MIN_SAVINGS_RATIO: "0.7" } });
    const output = users("d");
    await app.send(conversation(output));
    expect(originals.faults.thrown).toBe(1); // the lossy rewrite was planned, its put refused
    expect(outputsOf(app.bodies[0]!)[0]).toBe(output);
    originals.faults.heal();
    await app.send(conversation(output, users("e")));
    expect(outputsOf(app.bodies[1]!)[0]).toBe(output);
  });

  test("recovery: once the lock is gone and the retry is due, lossy compression and retrieval work again", async () => {
    const fault = realFault("locked", (db) => new SqliteOriginalStore(db));
    const { clock, status } = clocked("originals");
    const app = recordingApp({ originals: new GuardedOriginalStore(fault.store, status) });
    fault.start();
    await app.send(conversation(users("f")));
    await app.send(conversation(users("g")));
    expect(app.bodies.join("")).not.toMatch(MARKER);
    fault.heal();
    // Healed, but the retry is not due: no attempt, so no stall on a lock that might be back.
    await app.send(conversation(users("h")));
    expect(app.bodies[2]).not.toMatch(MARKER);
    expect((await app.json("/health")).degraded).toEqual(["originals"]);

    clock.now += 1001;
    await app.send(conversation(users("i")));
    const hash = MARKER.exec(app.bodies[3]!)?.[1];
    expect(hash).toBeDefined();
    const original = await app.json(`/v1/retrieve/${hash}`);
    expect(original.original_content).toBe(users("i"));

    const health = await app.json("/health");
    expect(health.status).toBe("healthy");
    expect(health.stores.originals).toMatchObject({
      status: "ok",
      since: null,
      failing: [],
      episodes: 1,
      last_error: { code: "SQLITE_BUSY" },
    });
    expect(warningsAbout(app.logs, "originals")).toHaveLength(1);
    expect(
      app.logs.filter((line) => line.level === "info" && line.store === "originals"),
    ).toHaveLength(1);
  });

  test("retrieval from a store that cannot be read answers clearly: 503 on the endpoints, a plain sentence in a tool result", async () => {
    const originals = new FaultyOriginalStore();
    const app = recordingApp({ originals });
    await app.send(conversation(users("j")));
    const hash = MARKER.exec(app.bodies[0]!)![1]!;
    originals.faults.fail("SQLITE_BUSY", ["read"]);

    const byPath = await app.request(`/v1/retrieve/${hash}`);
    expect(byPath.status).toBe(503);
    expect(byPath.headers.get("retry-after")).toBe("5");
    expect(((await byPath.json()) as { error: unknown }).error).toMatchObject({
      type: "store_unavailable",
    });
    const byBody = await app.request("/v1/retrieve", post({ hash }));
    expect(byBody.status).toBe(503);
    const toolCall = await app.request(
      "/v1/retrieve/tool_call",
      post({
        provider: "anthropic",
        tool_call: { id: "toolu_r", name: "headroom_retrieve", input: { hash } },
      }),
    );
    expect(toolCall.status).toBe(200);
    const answer = (await toolCall.json()) as {
      success: boolean;
      tool_result: { content: string };
    };
    expect(answer.success).toBe(false);
    expect(answer.tool_result.content).toContain("temporarily unavailable");

    const health = await app.json("/health");
    expect(health).toMatchObject({ status: "healthy", degraded: expect.any(Array) });
    expect(health.stores.originals).toMatchObject({ failing: ["read"] });
    // Reads back off too: the next lookups were not attempted.
    expect(originals.faults.thrown).toBe(1);
    originals.faults.heal();
  });

  test("the in-stream retrieval loop tells the model the original is temporarily unavailable, and the stream ends", async () => {
    const upstream = new FakeUpstream();
    const originals = new FaultyOriginalStore();
    const proxy = serveApp({ upstream: upstream.url, originals });
    try {
      upstream.always((request) => {
        const body = new TextDecoder().decode(request.body);
        const hash = MARKER.exec(body)?.[1];
        const reply =
          body.includes("temporarily unavailable") || !hash
            ? ({ kind: "text", text: "I will re-run the tool." } as const)
            : ({
                kind: "tool",
                name: "headroom_retrieve",
                input: { hash },
                id: "toolu_retrieve",
              } as const);
        return upstream.stream(anthropicStream(reply, "claude"));
      });
      // Writes work (the original is stored), reads fail: the model asks, the store cannot say.
      originals.faults.fail("SQLITE_BUSY", ["read"]);
      const res = await fetch(`${proxy.url}/v1/messages`, {
        ...post({ ...conversation(users("k")), stream: true }),
        headers: { "content-type": "application/json", "x-api-key": "sk-ant-test" },
      });
      expect(res.status).toBe(200);
      const stream = await res.text();
      expect(streamedText(stream)).toBe("I will re-run the tool.");
      expect(stream).toContain("event: message_stop");
      expect(stream).not.toContain("headroom_retrieve");
      expect(upstream.requests).toHaveLength(2);
      expect(new TextDecoder().decode(upstream.requests[1]!.body)).toContain(
        "temporarily unavailable",
      );
    } finally {
      await proxy.stop();
      upstream.stop();
    }
  });
});

// --- the decision store ----------------------------------------------------------------------

describe("decision store", () => {
  for (const condition of CONDITIONS) {
    test(`${condition}: compression proceeds, decisions are held in memory and replayed byte for byte`, async () => {
      const fault = realFault(condition, (db) => new SqliteDecisionStore(db));
      fault.start();
      const app = recordingApp({ decisions: fault.store });
      const first = users("l");
      await app.send(conversation(first));
      const [sent1] = outputsOf(app.bodies[0]!);
      expect(sent1).toMatch(MARKER); // lossy as usual: the original store is fine
      await app.send(conversation(first, users("m")));
      expect(outputsOf(app.bodies[1]!)[0]).toBe(sent1!);

      const health = await app.json("/health");
      expect(health).toMatchObject({ status: "healthy", degraded: expect.any(Array) });
      expect(health.stores.decisions).toMatchObject({
        status: "degraded",
        last_error: { code: CODE[condition], op: "write" },
        // Two tool outputs' decisions, and that the conversation declares headroom_retrieve.
        held: 3,
        lost: 0,
      });
      expect((await app.json("/stats")).store_errors.decisions).toBe(1);
      expect(warningsAbout(app.logs, "decisions")).toHaveLength(1);
    });
  }

  test("recovery: held decisions reach SQLite once it takes writes, and survive a restart", async () => {
    const fault = realFault("full", (db) => new SqliteDecisionStore(db));
    const { clock, status } = clocked("decisions");
    const app = recordingApp({ decisions: new GuardedDecisionStore(fault.store, status) });
    fault.start();
    const first = users("n");
    await app.send(conversation(first));
    fault.heal();
    clock.now += 1001;
    await app.send(conversation(first, users("o")));
    const rows = fault.space.db.query("SELECT COUNT(*) AS n FROM replay_decisions").get() as {
      n: number;
    };
    expect(rows.n).toBe(3); // two outputs, and the conversation's retrieve tool
    expect((await app.json("/health")).stores.decisions).toMatchObject({ status: "ok", held: 0 });
    // A restarted proxy on the same database replays the first output identically.
    const restarted = recordingApp({ decisions: new SqliteDecisionStore(fault.space.db) });
    await restarted.send(conversation(first, users("o")));
    expect(restarted.bodies[0]).toBe(app.bodies[1]!);
  });

  test("a store that cannot be read: compression proceeds without durable replay", async () => {
    const decisions = new FaultyDecisionStore();
    decisions.faults.fail("SQLITE_BUSY", ["read", "write"]);
    const app = recordingApp({ decisions });
    const first = users("p");
    await app.send(conversation(first));
    expect(outputsOf(app.bodies[0]!)[0]).toMatch(MARKER);
    // What this process decided is still replayed from memory.
    await app.send(conversation(first, users("q")));
    expect(outputsOf(app.bodies[1]!)[0]).toBe(outputsOf(app.bodies[0]!)[0]!);
    const health = await app.json("/health");
    expect(health.stores.decisions.failing).toEqual(["read", "write"]);
  });

  test("held decisions are bounded: past the bound the oldest is dropped and counted", () => {
    const decisions = new FaultyDecisionStore();
    decisions.faults.fail("SQLITE_READONLY");
    const guard = new GuardedDecisionStore(decisions, new StoreStatus("decisions"), {
      maxEntries: 2,
      maxChars: 1_000_000,
    });
    for (const key of ["a", "b", "c"]) guard.put(key, { kind: "kept", reason: "too_small" });
    expect(guard.report()).toMatchObject({ held: 2, lost: 1 });
    expect(guard.get("a")).toBeUndefined();
    expect(guard.get("c")).toEqual({ kind: "kept", reason: "too_small" });
  });
});

// --- the ledger ------------------------------------------------------------------------------

describe("ledger", () => {
  for (const condition of CONDITIONS) {
    test(`${condition}: responses are unaffected, rows are held and still counted`, async () => {
      const fault = realFault(condition, (db) => new SqliteLedgerStore(db));
      fault.start();
      const app = recordingApp({ ledger: fault.store });
      await app.send(conversation(users("r")));
      await app.send(conversation("short output"));
      const stats = await app.json("/stats");
      expect(stats.requests.total).toBe(2);
      expect(stats.persistent_savings.lifetime.requests).toBe(2);
      expect(stats.persistent_savings.store_errors).toBe(1);
      expect(stats.store_errors.ledger).toBe(1);
      expect(stats.stores.ledger).toMatchObject({
        status: "degraded",
        last_error: { code: CODE[condition] },
        held_rows: 2,
        lost_rows: 0,
      });
      expect((await app.json("/health")).degraded).toEqual(["ledger"]);
      expect(warningsAbout(app.logs, "ledger")).toHaveLength(1);
      // An alert can fire on /metrics alone.
      const metrics = await (await app.request("/metrics")).text();
      expect(metrics).toContain('headroom_store_up{store="ledger"} 0');
      expect(metrics).toContain('headroom_store_up{store="originals"} 1');
      expect(metrics).toContain('headroom_store_errors_total{store="ledger"} 1');
      expect(metrics).toContain('headroom_store_failure_episodes_total{store="ledger"} 1');
    });
  }

  test("recovery: held rows are written in order, counted once", async () => {
    const fault = realFault("locked", (db) => new SqliteLedgerStore(db));
    const { clock, status } = clocked("ledger");
    const app = recordingApp({
      ledger: new GuardedLedgerStore(fault.store, status),
    });
    fault.start();
    await app.send(conversation("one"));
    await app.send(conversation("two"));
    fault.heal();
    clock.now += 1001;
    await app.send(conversation("three"));
    expect(fault.store.rowCount()).toBe(3);
    const stats = await app.json("/stats");
    expect(stats.persistent_savings.lifetime.requests).toBe(3);
    expect(stats.stores.ledger).toMatchObject({ status: "ok", held_rows: 0 });
    // Written in the order the requests came: newest id, newest request.
    const times = fault.store.newest(3).map(({ row }) => row.ts);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test("held rows are bounded: the oldest beyond the bound are counted as lost", async () => {
    const ledger = new FaultyLedgerStore();
    ledger.faults.fail("ENOSPC");
    const app = recordingApp({
      ledger: new GuardedLedgerStore(ledger, new StoreStatus("ledger"), 2),
    });
    for (const n of [1, 2, 3]) await app.send(conversation(`request ${n}`));
    const stats = await app.json("/stats");
    expect(stats.requests.total).toBe(3);
    expect(stats.stores.ledger).toMatchObject({ held_rows: 2, lost_rows: 1 });
    expect(stats.persistent_savings.lifetime.requests).toBe(2);
  });

  test("a ledger that cannot be read: /stats and /stats-history still answer", async () => {
    const ledger = new FaultyLedgerStore();
    const app = recordingApp({ ledger });
    await app.send(conversation("before"));
    ledger.faults.fail("SQLITE_BUSY", ["read"]);
    expect((await app.request("/stats")).status).toBe(200);
    expect((await app.request("/stats-history")).status).toBe(200);
    expect((await app.request("/metrics")).status).toBe(200);
    const health = await app.json("/health");
    expect(health.stores.ledger).toMatchObject({ status: "degraded", failing: ["read"] });
  });
});

// --- saying so -------------------------------------------------------------------------------

describe("saying so", () => {
  test("many failing requests make one warning per store, and only loopback callers see the details", async () => {
    const originals = new FaultyOriginalStore();
    const decisions = new FaultyDecisionStore();
    const ledger = new FaultyLedgerStore();
    for (const faulty of [originals, decisions, ledger]) faulty.faults.fail("SQLITE_BUSY");
    const app = recordingApp({ originals, decisions, ledger });
    for (let n = 0; n < 5; n++) await app.send(conversation(users(`s${n}`)));
    for (const store of ["originals", "decisions", "ledger"])
      expect(warningsAbout(app.logs, store)).toHaveLength(1);
    const remote = (await (
      await app.request("/health", {}, { remoteAddress: "192.0.2.7" })
    ).json()) as { status: string; degraded: string[]; stores?: unknown };
    expect(remote).toMatchObject({
      status: "healthy",
      degraded: ["originals", "decisions", "ledger"],
    });
    expect(remote.stores).toBeUndefined();
    const local = await app.json("/health");
    expect(Object.keys(local.stores)).toEqual([
      "originals",
      "decisions",
      "ledger",
      "conversations",
    ]);
    for (const store of ["originals", "decisions", "ledger"]) {
      const report = local.stores[store] as { status: string; since: string };
      expect(report.status).toBe("degraded");
      expect(Date.parse(report.since)).toBeGreaterThan(0);
    }
  });

  test("stores that work report ok, and /health stays healthy", async () => {
    const app = recordingApp();
    await app.send(conversation(users("t")));
    const health = await app.json("/health");
    expect(health.status).toBe("healthy");
    expect(health.stores.originals).toMatchObject({ status: "ok", errors: 0, last_error: null });
    const stats = await app.json("/stats");
    expect(stats.store_errors).toEqual({ originals: 0, decisions: 0, ledger: 0, conversations: 0 });
  });
});

// --- headroom compress -----------------------------------------------------------------------

describe("headroom compress", () => {
  const run = (workspace: string) => {
    const proc = Bun.spawnSync(
      [process.execPath, "src/cli/main.ts", "compress", "--json", "--query", "disabled"],
      {
        stdin: new TextEncoder().encode(users("u")),
        env: { ...process.env, HEADROOM_WORKSPACE_DIR: workspace, HEADROOM_LOSSY: "true" },
      },
    );
    return {
      code: proc.exitCode,
      out: JSON.parse(proc.stdout.toString()) as { lossy: boolean; text: string },
      err: proc.stderr.toString(),
    };
  };

  test("an unusable workspace still prints the output, lossless (no marker it could not redeem)", () => {
    const good = run(new FaultyWorkspace().dir);
    expect(good.out.lossy).toBe(true);
    // The workspace path is a file: the store cannot be opened at all.
    const file = join(new FaultyWorkspace().dir, "headroom.sqlite");
    const bad = run(file);
    expect(bad.code).toBe(0);
    expect(bad.out.lossy).toBe(false);
    expect(bad.out.text).not.toMatch(MARKER);
    expect(bad.out.text.length).toBeLessThan(users("u").length);
    expect(bad.err).toContain("the workspace store is not writable");
  });
});
