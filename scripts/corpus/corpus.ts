/**
 * The corpus in tests/corpus/samples: loading the samples, shaping each into the three
 * deliveries (raw, as Claude Code sends it, as Codex sends it), and judging whether each fact
 * survived a compression. Shared by scripts/bench-corpus.ts and tests/corpus/corpus.test.ts.
 * @module
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../../src/compress/compress-text.ts";
import { nativeSha256 } from "../../src/runtime/native-sha256.ts";
import { claudeDelivery, claudeSpills, codexExecResult } from "./agent-shapes.ts";

export const SAMPLES_DIR = join(import.meta.dir, "../../tests/corpus/samples");

/** A sample's metadata, as in its .json. */
export interface SampleMeta {
  readonly command: string;
  readonly exit: number;
  readonly kind: string;
  readonly split: "tune" | "report";
  readonly facts: readonly string[];
  readonly note: string;
}

/** One captured output and its metadata. */
export interface Sample extends SampleMeta {
  /** `NNN-slug`, the file name without extension. */
  readonly name: string;
  readonly text: string;
}

/** Reads every sample, in file-name order. */
export function loadSamples(dir = SAMPLES_DIR): Sample[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".txt"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".txt".length);
      const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as SampleMeta;
      return { ...meta, name, text: readFileSync(join(dir, file), "utf8") };
    });
}

export const DELIVERIES = ["raw", "claude", "codex"] as const;
export type Delivery = (typeof DELIVERIES)[number];

/**
 * The texts the model receives for a sample in one delivery; Claude Code's Read of a big spilled
 * output can be several tool results. Codex's chunk id is derived from the text, so runs agree.
 */
export function deliver(sample: Sample, delivery: Delivery): string[] {
  switch (delivery) {
    case "raw":
      return [sample.text];
    case "claude":
      return claudeDelivery(sample.text, sample.exit);
    case "codex": {
      const chunkId = nativeSha256(sample.text).slice(0, 6);
      return [codexExecResult(sample.text, sample.exit, { chunkId, wallSeconds: 0 })];
    }
  }
}

/** The marker hash of a text: 24 hex digits of its SHA-256, as the proxy stores originals. */
export function hashOf(text: string): string {
  return nativeSha256(text).slice(0, 24);
}

/**
 * Compresses one delivered text the way the proxy does (lossy, no question), or keeps it.
 * `savedOutput`: the text is Claude Code's Read of a spilled command output, which the proxy
 * recognises by the file's path (see Slot.savedOutput).
 */
export function compress(text: string, savedOutput = false): { text: string; strategy: string } {
  const hash = hashOf(text);
  const result = compressText(text, { query: "", lossy: true, hash: () => hash, savedOutput });
  return result === undefined
    ? { text, strategy: "-" }
    : { text: result.text, strategy: result.strategy };
}

/**
 * visible: the model reads it; retrievable: elided, but a marker lets it fetch the original;
 * lost: gone with no marker; absent: the agent itself never delivered it (a cut middle), so
 * compression is not to blame.
 */
export type FactFate = "visible" | "retrievable" | "lost" | "absent";

/*
 * What a terminal does not show: CSI sequences (colour, cursor moves), OSC strings and two-byte
 * escapes. The judge keeps its own pattern rather than the compressors', so it cannot share
 * their blind spots. Built from a string: Biome rejects control characters in regex literals.
 */
const ESC = "\u001b";
const ANSI = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?|${ESC}[@-Z\\\\-_=>78]`,
  "g",
);

/** Claude Code's Read numbering at the start of each line. */
const READ_NUMBER = /^\d+\t/gm;

/** The text as the model reads it: no ANSI escapes, and no Read numbering if it was added. */
export function readable(text: string, numbered: boolean): string {
  const plain = text.replace(ANSI, "");
  return numbered ? plain.replace(READ_NUMBER, "") : plain;
}

/** Whether a delivery's texts carry Claude Code's Read numbering. */
export function isNumbered(sample: Sample, delivery: Delivery): boolean {
  return delivery === "claude" && claudeSpills(sample.text, sample.exit);
}

/**
 * Judges one fact against what was delivered (before compression) and what was sent (after),
 * text by text; a fact is visible if any sent text shows it.
 */
export function factFate(
  fact: string,
  delivered: readonly string[],
  sent: readonly string[],
  numbered: boolean,
): FactFate {
  if (!delivered.some((text) => readable(text, numbered).includes(fact))) return "absent";
  if (sent.some((text) => readable(text, numbered).includes(fact))) return "visible";
  const marked = delivered.some(
    (text, i) =>
      readable(text, numbered).includes(fact) && sent[i]!.includes(`hash=${hashOf(text)}`),
  );
  return marked ? "retrievable" : "lost";
}
