// The corpus (tests/corpus/samples, see tests/corpus/README.md): it is whole and consistent, and
// compressing any sample, in any of the three ways an agent delivers it, loses no fact.

import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import {
  compress,
  DELIVERIES,
  deliver,
  factFate,
  hashOf,
  isNumbered,
  loadSamples,
  readable,
  SAMPLES_DIR,
} from "../../scripts/corpus/corpus.ts";
import { formatMarker } from "../../src/compress/marker.ts";

const samples = loadSamples();
const files = readdirSync(SAMPLES_DIR).filter((f) => !f.startsWith("."));

describe("corpus integrity", () => {
  test("holds at least 60 samples, each a .txt beside its .json", () => {
    expect(samples.length).toBeGreaterThanOrEqual(60);
    const stems = (ext: string) =>
      files
        .filter((f) => f.endsWith(ext))
        .map((f) => f.slice(0, -ext.length))
        .sort();
    expect(stems(".json")).toEqual(stems(".txt"));
    expect(files.length).toBe(2 * samples.length);
  });

  test("names are NNN-slug with distinct numbers", () => {
    for (const s of samples) expect(s.name).toMatch(/^\d{3}-[A-Za-z0-9-]+$/);
    expect(new Set(samples.map((s) => s.name.slice(0, 3))).size).toBe(samples.length);
  });

  test("metadata is complete: command, integer exit code, kind, split, note", () => {
    for (const s of samples) {
      expect(s.command.length).toBeGreaterThan(0);
      expect(Number.isInteger(s.exit)).toBe(true);
      expect(s.kind).toMatch(/^[a-z]+$/);
      expect(["tune", "report"]).toContain(s.split);
      expect(s.note.length).toBeGreaterThan(0);
    }
  });

  test("the split follows the documented rule: odd numbers tune, even numbers report", () => {
    for (const s of samples) {
      expect(s.split).toBe(Number(s.name.slice(0, 3)) % 2 === 1 ? "tune" : "report");
    }
  });

  test("every sample has 1 to 5 facts, each an exact substring of its raw output", () => {
    for (const s of samples) {
      expect(s.facts.length).toBeGreaterThanOrEqual(1);
      expect(s.facts.length).toBeLessThanOrEqual(5);
      for (const fact of s.facts) {
        expect(fact.length).toBeGreaterThan(0);
        if (!s.text.includes(fact)) throw new Error(`${s.name}: fact not in output: ${fact}`);
      }
    }
  });

  test("every kind has samples in both splits", () => {
    const splits = new Map<string, Set<string>>();
    for (const s of samples) splits.set(s.kind, (splits.get(s.kind) ?? new Set()).add(s.split));
    for (const [kind, seen] of splits)
      expect([kind, [...seen].sort()]).toEqual([kind, ["report", "tune"]]);
  });
});

describe("the fact judge", () => {
  // A real Read-form delivery: a spilled dpkg -l, numbered by Claude Code's Read.
  const sample = samples.find((s) => s.name === "017-dpkg-l")!;
  const delivered = deliver(sample, "claude");
  const fact = sample.facts[0]!;

  test("reads through Read numbering and colour to find a kept fact", () => {
    expect(isNumbered(sample, "claude")).toBe(true);
    const line = delivered[0]!.split("\n").find((l) => l.includes(fact))!;
    const coloured = line.replace(fact, `\u001b[1m${fact}\u001b[0m`);
    expect(readable(coloured, true)).toBe(line.slice(line.indexOf("\t") + 1));
    expect(factFate(fact, delivered, [coloured], true)).toBe("visible");
  });

  test("calls an elided fact retrievable only when the marker carries the delivery's hash", () => {
    const marker = formatMarker("rows omitted", hashOf(delivered[0]!));
    expect(factFate(fact, delivered, [marker], true)).toBe("retrievable");
    const otherHash = formatMarker("rows omitted", hashOf(sample.text));
    expect(factFate(fact, delivered, [otherHash], true)).toBe("lost");
  });

  test("does not blame compression for what the agent itself cut", () => {
    const codex = samples.find((s) => s.name === "045-package-lock-express")!;
    const cut = deliver(codex, "codex");
    expect(cut[0]).toContain("tokens truncated…");
    expect(factFate(codex.facts[0]!, cut, ["nothing"], false)).toBe("absent");
  });
});

describe("no fact is lost", () => {
  for (const delivery of DELIVERIES) {
    test(`in the ${delivery} delivery`, () => {
      const lost: string[] = [];
      for (const sample of samples) {
        const delivered = deliver(sample, delivery);
        const sent = delivered.map((text) => compress(text, isNumbered(sample, delivery)).text);
        for (const fact of sample.facts) {
          const fate = factFate(fact, delivered, sent, isNumbered(sample, delivery));
          if (fate === "lost") lost.push(`${sample.name}: ${fact}`);
        }
      }
      expect(lost).toEqual([]);
    });
  }
});
