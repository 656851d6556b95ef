/**
 * Fuzz targets for content detection, every compressor and the text router: no error escapes or
 * is swallowed, the same input gives the same bytes, output is shorter than input, lossy output
 * carries exactly its marker and lossless output none, JSON stays JSON, and lossless JSON expands
 * back to the input tree.
 * @module
 */

import {
  COMPRESSORS,
  compressBareText,
  compressText,
} from "../../../src/compress/compress-text.ts";
import { detectContent } from "../../../src/compress/detect.ts";
import { compressDiff } from "../../../src/compress/diff.ts";
import { parseNumberedRead } from "../../../src/compress/envelope/read-numbered.ts";
import { compressGit } from "../../../src/compress/git.ts";
import { compressHtml } from "../../../src/compress/html.ts";
import { compressInstall } from "../../../src/compress/install.ts";
import { compressJson } from "../../../src/compress/json/compress-json.ts";
import { expandJson } from "../../../src/compress/json/json-expand.ts";
import { readJson, readJsonLineValues } from "../../../src/compress/json/json-reader.ts";
import { JsonNumber, JsonObject, type JsonValue } from "../../../src/compress/json/json-value.ts";
import { compressListing } from "../../../src/compress/listing.ts";
import { compressLog } from "../../../src/compress/log.ts";
import { terminalLines } from "../../../src/compress/log-clean.ts";
import { formatMarker, originalHash } from "../../../src/compress/marker.ts";
import type { CompressProbe } from "../../../src/compress/probe.ts";
import { compressSearch } from "../../../src/compress/search.ts";
import { compressTable } from "../../../src/compress/table.ts";
import { countWithEncoding, isEncodingLoaded } from "../../../src/compress/tokens.ts";
import type { CompressOutput, Compressor } from "../../../src/compress/types.ts";
import { SwallowedErrors } from "../../helpers/swallowed-errors.ts";
import { corpus } from "./corpus.ts";
import { TEXT_GENERATORS, type TextKind } from "./gen-text.ts";
import { fail, shrinkString, type Target } from "./harness.ts";
import { mutate } from "./mutate.ts";
import type { Rng } from "./rng.ts";

export interface TextInput {
  text: string;
  query: string;
}

const QUERIES = ["", "", "error", "why did user 42 fail?", "héllo 中文", "timeout in src/app", "x"];
const KINDS = Object.keys(TEXT_GENERATORS) as TextKind[];

/** A tool output shaped like `kind` (or a recorded one), often damaged. */
export function genToolText(rng: Rng, kind?: TextKind): string {
  const donor = () => {
    const r = rng.fork();
    return r.chance(0.3) ? r.pick(corpus()) : TEXT_GENERATORS[r.pick(KINDS)](r);
  };
  const base =
    kind && rng.chance(0.85)
      ? TEXT_GENERATORS[kind](rng)
      : rng.chance(0.5)
        ? rng.pick(corpus())
        : TEXT_GENERATORS[rng.pick(KINDS)](rng);
  return rng.chance(0.55) ? mutate(base, rng, donor) : base;
}

/** Equality of parsed trees, where a string holding JSON equals one holding the same JSON. */
export function sameTree(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === "string" && typeof b === "string") {
    if (a === b) return true;
    const pa = readJson(a);
    const pb = readJson(b);
    return !!pa && !!pb && sameTree(expandJson(pa.value), expandJson(pb.value));
  }
  if (a instanceof JsonNumber && b instanceof JsonNumber) return a.text === b.text;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameTree(v, b[i]!));
  if (a instanceof JsonObject && b instanceof JsonObject) {
    return (
      a.keys.length === b.keys.length &&
      a.keys.every((k, i) => k === b.keys[i]) &&
      a.values.every((v, i) => sameTree(v, b.values[i]!))
    );
  }
  return a === b;
}

/** Counters the long-running fuzzer prints: token regressions are measured, not failed, here. */
export const textStats = {
  outputs: 0,
  moreTokens: 0,
  worstTokenRatio: 1,
  /** Outputs with more tokens than their input, by strategy. */
  byStrategy: new Map<string, number>(),
  worst: undefined as { text: string; strategy: string; before: number; after: number } | undefined,
};

function noteTokens(input: string, out: { text: string; strategy: string }): void {
  if (!isEncodingLoaded("o200k_base")) return;
  textStats.outputs++;
  const before = countWithEncoding(input, "o200k_base");
  const after = countWithEncoding(out.text, "o200k_base");
  if (after > before) {
    textStats.moreTokens++;
    textStats.byStrategy.set(out.strategy, (textStats.byStrategy.get(out.strategy) ?? 0) + 1);
    if (after / before > textStats.worstTokenRatio) {
      textStats.worstTokenRatio = after / before;
      textStats.worst = { text: input, strategy: out.strategy, before, after };
    }
  }
}

/** Runs `fn` with a probe; an error a compressor swallowed on the way is a failure. */
function call<T>(where: string, fn: (probe: CompressProbe) => T): T {
  const swallowed = new SwallowedErrors();
  const out = fn(swallowed.probe);
  if (swallowed.caught.length > 0)
    fail("swallowed-error", `${swallowed.describeFirst()} (in ${where})`);
  return out;
}

function sameOutput(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkMarkers(input: string, out: CompressOutput, lossy: boolean): void {
  const hashText = `hash=${originalHash(input)}`;
  const inputHad = input.includes(hashText);
  if (out.lossy) {
    if (!lossy) fail("lossy-when-lossless", out.strategy);
    if (!out.text.includes(hashText)) fail("lossy-without-marker", out.strategy);
  } else if (!inputHad && out.text.includes(hashText)) {
    fail("marker-on-lossless", out.strategy);
  }
}

/**
 * A compressed Read: every `N\t` line is the file's line N (after terminal clean-up), numbers
 * rise, and a `from-to\t` range starts right after the line before it.
 */
function checkReadNumbers(input: string, out: CompressOutput): void {
  const read = parseNumberedRead(input);
  if (!read || !out.strategy.startsWith("read+")) return;
  const body = read.lines.join("\n");
  const lines = out.strategy.startsWith("read+terminal") ? terminalLines(body) : read.lines;
  let last = read.first - 1;
  for (const line of out.text.split("\n")) {
    const range = /^(\d+)-(\d+)\t/.exec(line);
    const kept = range ? null : /^(\d+)\t/.exec(line);
    if (range) {
      if (Number(range[1]) !== last + 1) fail("read-range", line.slice(0, 80));
      last = Number(range[2]);
    } else if (kept) {
      const n = Number(kept[1]);
      if (n <= last || lines[n - read.first] !== line.slice(kept[0].length))
        fail("read-number", line.slice(0, 80));
      last = n;
    } else if (!line.startsWith("\t")) fail("read-unnumbered", line.slice(0, 80));
  }
}

/** A compressed cut output still shows the client's cut note. */
function checkCutKept(input: string, out: CompressOutput): void {
  if (!out.strategy.includes("cut+") || out.strategy.includes("json-cut+")) return;
  const note = /…\d+ tokens truncated…|\.\.\. \[\d+ characters truncated\] \.\.\./.exec(input);
  if (note && !out.text.includes(note[0])) fail("cut-dropped", out.strategy);
}

function checkJson(input: string, out: CompressOutput): void {
  const document = readJson(input);
  const inputTree = document ? document.value : readJsonLineValues(input)?.value;
  if (inputTree === undefined) fail("json-from-non-json", out.strategy);
  let outTree: JsonValue;
  if (out.strategy.startsWith("json-lines:")) {
    // Lines of JSON (a note may be a line of its own; a $repeat line stands for several lines),
    // or one line holding the whole array as a table.
    const lines: JsonValue[] = [];
    for (const line of out.text.split("\n")) {
      if (line.trim() === "") continue;
      const parsed = readJson(line);
      if (!parsed) fail("json-output-invalid", `${out.strategy}\n${line.slice(0, 200)}`);
      lines.push(parsed.value);
    }
    const only = lines[0];
    outTree =
      lines.length === 1 && only instanceof JsonObject && only.keys[0] === "$columns"
        ? only
        : lines;
  } else {
    const parsed = readJson(out.text);
    if (!parsed) fail("json-output-invalid", `${out.strategy}\n${out.text.slice(0, 200)}`);
    outTree = parsed.value;
    try {
      JSON.parse(out.text);
    } catch (error) {
      fail("json-output-invalid", `JSON.parse\n${(error as Error).message}`);
    }
  }
  if (!out.lossy && !sameTree(expandJson(outTree), inputTree)) {
    fail("json-lossless-roundtrip", out.strategy);
  }
}

function compressorTarget(name: string, compressor: Compressor, kind: TextKind): Target<TextInput> {
  return {
    name: `compress:${name}`,
    generate: (rng) => ({ text: genToolText(rng, kind), query: rng.pick(QUERIES) }),
    check({ text, query }) {
      for (const lossy of [false, true]) {
        const ctx = (probe: CompressProbe) => ({
          query,
          lossy,
          marker: (summary: string) => formatMarker(summary, originalHash(text)),
          probe,
        });
        const first = call(name, (probe) => compressor(text, ctx(probe)));
        const second = call(name, (probe) => compressor(text, ctx(probe)));
        if (!sameOutput(first, second)) fail("nondeterministic", `lossy=${lossy}`);
        if (!first) continue;
        if (first.text.length >= text.length)
          fail("not-shorter", `${first.strategy}\n${first.text.length} >= ${text.length}`);
        checkMarkers(text, first, lossy);
        if (name === "json") checkJson(text, first);
        noteTokens(text, first);
      }
    },
    shrink: function* ({ text, query }) {
      for (const smaller of shrinkString(text)) yield { text: smaller, query };
      if (query) yield { text, query: "" };
    },
  };
}

/** The router: what it keeps is what the detected kind's compressor gave, under its rules. */
export const routerTarget: Target<TextInput> = {
  name: "compress-text",
  generate: (rng) => ({ text: genToolText(rng, rng.pick(KINDS)), query: rng.pick(QUERIES) }),
  check({ text, query }) {
    const kind = call("detect", (probe) => detectContent(text, probe));
    if (call("detect", (probe) => detectContent(text, probe)) !== kind)
      fail("nondeterministic", "detect");
    for (const lossy of [false, true]) {
      const options = (probe: CompressProbe) => ({
        query,
        lossy,
        hash: () => originalHash(text),
        probe,
      });
      // Through the agents' framings: deterministic, shorter, marked exactly when lossy.
      const framed = call("router", (probe) => compressText(text, options(probe)));
      const again = call("router", (probe) => compressText(text, options(probe)));
      if (!sameOutput(framed, again)) fail("nondeterministic", `framed router lossy=${lossy}`);
      if (framed) {
        if (framed.text.length >= text.length) fail("not-shorter", framed.strategy);
        checkMarkers(text, framed, lossy);
        checkReadNumbers(text, framed);
        checkCutKept(text, framed);
      }
      // With no framing: exactly what the detected kind's compressor gave.
      const first = call("router", (probe) => compressBareText(text, options(probe)));
      const second = call("router", (probe) => compressBareText(text, options(probe)));
      if (!sameOutput(first, second)) fail("nondeterministic", `router lossy=${lossy}`);
      if (!first) continue;
      if (first.kind !== kind) fail("router-kind", `${first.kind} vs detected ${kind}`);
      if (first.text.length >= text.length) fail("not-shorter", first.strategy);
      checkMarkers(text, first, lossy);
      const direct = COMPRESSORS[kind]?.(text, {
        query,
        lossy,
        marker: (s) => formatMarker(s, originalHash(text)),
      });
      if (direct?.text !== first.text) fail("router-differs-from-compressor", kind);
      noteTokens(text, first);
    }
  },
  shrink: compressorTarget("router", compressJson, "json").shrink,
};

export const compressorTargets: Target<TextInput>[] = [
  compressorTarget("json", compressJson, "json"),
  compressorTarget("log", compressLog, "log"),
  compressorTarget("search", compressSearch, "search"),
  compressorTarget("diff", compressDiff, "diff"),
  compressorTarget("git", compressGit, "mixed"),
  compressorTarget("install", compressInstall, "log"),
  compressorTarget("listing", compressListing, "listing"),
  compressorTarget("table", compressTable, "table"),
  compressorTarget("html", compressHtml, "html"),
  routerTarget,
];
