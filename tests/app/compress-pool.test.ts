/**
 * The compression pool: the same bytes as compressing in the calling thread, a wall-clock
 * budget, aborts that drop queued work, and a fallback to the calling thread when its workers
 * cannot start.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type CompressJob, runCompressJob } from "../../src/compress/compress-job.ts";
import {
  type CompressionSettings,
  compressRequest,
  DEFAULT_COMPRESSION_SETTINGS,
  decisionKeys,
} from "../../src/compress/compress-request.ts";
import { findSlots } from "../../src/compress/slots.ts";
import { runTokenJob } from "../../src/compress/token-job.ts";
import { CompressPool, poolSize } from "../../src/runtime/compress-pool.ts";
import { MemoryDecisionStore } from "../../src/store/memory-decision-store.ts";
import { parityCases } from "../helpers/parity.ts";

const fixtures = join(import.meta.dir, "..", "fixtures", "pool");
const read = (name: string) => {
  const bytes = readFileSync(join(fixtures, name));
  return (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
};
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const timezones = read("jq-timezones.json.gz");

/** Every real output in tests/fixtures/pool, and the parity fixtures whose input is a text. */
const texts: [string, string][] = [
  ...readdirSync(fixtures)
    .sort()
    .map((name): [string, string] => [name, read(name)]),
  ...["content_detector", "log_compressor", "smart_crusher", "diff_compressor", "text_crusher"]
    .flatMap((transform) => parityCases(transform))
    .filter((c) => typeof c.input === "string")
    .map((c): [string, string] => [c.file, c.input as string]),
];

const pool = new CompressPool({ size: 2 });
afterAll(() => pool.close());

const jobOf = (text: string, lossy: boolean, query = ""): CompressJob => ({
  text,
  query,
  lossy,
  hash: sha256(text).slice(0, 24),
});

const chatWith = (...outputs: string[]) => ({
  model: "gpt-4o",
  messages: [
    { role: "user", content: "Which zones observe daylight saving time?" },
    {
      role: "assistant",
      content: null,
      tool_calls: outputs.map((_, i) => ({
        id: `call_${i}`,
        type: "function",
        function: { name: "sh", arguments: "{}" },
      })),
    },
    ...outputs.map((content, i) => ({ role: "tool", tool_call_id: `call_${i}`, content })),
  ],
});

/** The decision store key of the tool output `text` in `body` (the first slot carrying it). */
const keyOf = (body: Record<string, unknown>, text: string) =>
  decisionKeys(findSlots("chat", body).find((slot) => slot.text === text)!, sha256).key;

describe("the compression pool", () => {
  test("sizes itself to the cores (at least one worker, at most four), started as jobs come", async () => {
    expect(poolSize(1)).toBe(1);
    expect(poolSize(2)).toBe(2);
    expect(poolSize(16)).toBe(4);
    expect(poolSize(0)).toBe(1);
    const lazy = new CompressPool({ size: 2 });
    try {
      expect(lazy.alive).toBe(0);
      const job = jobOf(read("npm-query.json"), true);
      await lazy.run(job);
      expect(lazy.alive).toBe(1);
      // Two at once: the second finds the first worker busy and starts the other.
      await Promise.all([lazy.run(job), lazy.run(job)]);
      expect(lazy.alive).toBe(2);
    } finally {
      lazy.close();
    }
  });

  test("gives byte-identical results to compressing in this thread, lossy and lossless", async () => {
    expect(texts.length).toBeGreaterThan(20);
    let compressed = 0;
    for (const lossy of [true, false]) {
      const jobs = texts.map(([, text]) => jobOf(text, lossy, "zones"));
      const fromPool = await Promise.all(jobs.map((job) => pool.run(job)));
      jobs.forEach((job, i) => {
        expect([texts[i]![0], fromPool[i]]).toEqual([texts[i]![0], runCompressJob(job)]);
        if (fromPool[i]) compressed++;
      });
    }
    // Many of them compress: the comparison is about real rewrites, not only about declining.
    expect(compressed).toBeGreaterThan(40);
  });

  test("counts a request's exact tokens in a worker as this thread does", async () => {
    const job = {
      api: "chat" as const,
      bodyText: JSON.stringify(chatWith(read("npm-query.json"))),
      model: "gpt-4o",
      edits: [{ before: read("npm-query.json"), after: "[]" }],
      candidates: [read("npm-query.json")],
    };
    const counted = await pool.countTokens(job);
    expect(counted.before).toBeGreaterThan(40_000);
    expect(counted).toEqual(await runTokenJob(job));
  });

  test("a job still queued when its signal aborts is never answered with a result", async () => {
    const single = new CompressPool({ size: 1 });
    try {
      const stop = new AbortController();
      const running = single.run(jobOf(timezones, true));
      const queued = single.run(jobOf(read("npm-query.json"), true), stop.signal);
      stop.abort();
      expect(await queued).toBeUndefined();
      // The job that was running still answers for whoever waits for it.
      expect((await running)?.strategy).toStartWith("json:");
    } finally {
      single.close();
    }
  });

  test("workers that cannot load leave the pool compressing in this thread, same bytes", async () => {
    const errors: string[] = [];
    const broken = new CompressPool({
      size: 1,
      workerUrl: new URL("./no-such-worker.ts", import.meta.url),
      onError: (message) => errors.push(message),
    });
    try {
      // Each job finds the worker failing and runs here; after a few failures the pool stops
      // trying workers at all.
      for (const name of ["ls-la-usr-bin.txt", "grep-export-function.txt", "dpkg-l.txt"]) {
        for (const lossy of [true, false]) {
          const job = jobOf(read(name), lossy);
          expect(await broken.run(job)).toEqual(runCompressJob(job));
        }
      }
      expect(broken.alive).toBe(0);
      expect(errors.length).toBe(4);
    } finally {
      broken.close();
    }
  });
});

describe("compressRequest on the pool", () => {
  const settings: CompressionSettings = { ...DEFAULT_COMPRESSION_SETTINGS, lossy: true };

  test("plans the same edits and decisions as in this thread", async () => {
    const body = chatWith(read("npm-query.json"), read("ls-la-usr-bin.txt"), read("dpkg-l.txt"));
    const inThread = new MemoryDecisionStore();
    const onPool = new MemoryDecisionStore();
    const relaxed = { ...settings, budgetMs: 60_000 };
    const a = await compressRequest("chat", body, relaxed, { decisions: inThread, sha256 });
    const b = await compressRequest("chat", body, relaxed, {
      decisions: onPool,
      sha256,
      compress: pool.run,
    });
    expect(b.edits.map((e) => [e.slot.path, e.text, e.strategy])).toEqual(
      a.edits.map((e) => [e.slot.path, e.text, e.strategy]),
    );
    expect(b.kept).toEqual(a.kept);
    expect(b.edits.length).toBe(3); // all three compress (dpkg -l has a table compressor of its own)
    for (const slot of findSlots("chat", body)) {
      const { key } = decisionKeys(slot, sha256);
      expect(onPool.get(key)).toBeDefined();
      expect(onPool.get(key)).toEqual(inThread.get(key));
    }
  });

  test("the budget is a wall-clock wait: an output not compressed in time goes as sent, remembered as over budget", async () => {
    const decisions = new MemoryDecisionStore();
    const body = chatWith(timezones, read("npm-query.json"));
    // 1 MB of JSON takes far longer than 30 ms; its size alone does not rule it out at 30 ms.
    const plan = await compressRequest(
      "chat",
      body,
      { ...settings, budgetMs: 30 },
      { decisions, sha256, compress: pool.run },
    );
    expect(plan.budgetExceeded).toBe(true);
    expect(plan.kept.over_budget).toBeGreaterThanOrEqual(1);
    expect(decisions.get(keyOf(body, timezones))).toEqual({ kind: "kept", reason: "over_budget" });
    expect(plan.edits.every((edit) => edit.slot.text !== timezones)).toBe(true);
  });

  test("a client abort rejects the plan and remembers nothing", async () => {
    const decisions = new MemoryDecisionStore();
    const stop = new AbortController();
    const body = chatWith(timezones);
    const planned = compressRequest(
      "chat",
      body,
      { ...settings, budgetMs: 60_000 },
      { decisions, sha256, compress: pool.run, signal: stop.signal },
    );
    stop.abort(new Error("client went away"));
    await expect(planned).rejects.toThrow("client went away");
    expect(decisions.get(keyOf(body, timezones))).toBeUndefined();
  });

  test("the same output answering two calls, compressed on two workers, gives the same bytes", async () => {
    const text = read("npm-query.json");
    const plan = await compressRequest(
      "chat",
      chatWith(text, text),
      { ...settings, budgetMs: 60_000 },
      { decisions: new MemoryDecisionStore(), sha256, compress: pool.run },
    );
    expect(plan.edits.map((edit) => edit.replayed)).toEqual([false, false]);
    expect(plan.edits[0]!.text).toBe(plan.edits[1]!.text);
  });
});
