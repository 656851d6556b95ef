/**
 * apt-get/dpkg install logs, raw from a terminal or already cleaned. Lossless: what the terminal
 * ends up showing (progress redraws settled, progress-only lines gone). Lossy: the per-package
 * chatter collapses — download lines into a count, dpkg's select/prepare/unpack triplets away,
 * long runs of update-alternatives into their first lines — while `Setting up` lines (each
 * package's version, word for word), summaries, warnings, errors and anything else stay.
 * @module
 */

import type { Sample } from "./detect-sample.ts";
import { formatCount } from "./git-rows.ts";
import { APT_LINE, isProgress, NPM_LINE, settledLine, settleLines } from "./install-lines.ts";
import { matchesTerms, queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.8;
/** update-alternatives lines kept at the start of a run. */
const ALTERNATIVES_KEPT = 2;

/**
 * Whether the sample is an apt/dpkg install (or update) log, raw or cleaned, or npm's output as a
 * terminal got it (spinner redraws around its summary). A clean npm log, warnings and all, is
 * left to the log compressor, which folds repeated warnings.
 */
export function looksLikeInstallLog(sample: Sample): boolean {
  let apt = 0;
  let npm = 0;
  let redrawn = 0;
  let nonEmpty = 0;
  for (const raw of sample.lines) {
    if (raw.includes("\x1b[1G")) redrawn++;
    const line = settledLine(raw);
    if (line === "") continue;
    nonEmpty++;
    if (APT_LINE.test(line) || isProgress(line)) apt++;
    else if (NPM_LINE.test(line)) npm++;
  }
  if (apt >= 3 && apt >= nonEmpty * 0.3) return true;
  return redrawn > 0 && npm > 0 && apt + npm >= 3 && apt + npm >= nonEmpty * 0.3;
}

const GET = /^(?:Get|Hit|Ign):\d+ /;
const UNPACK_STEP = /^(?:Selecting previously unselected package |Preparing to unpack |Unpacking )/;
const ALTERNATIVES = /^update-alternatives: /;

/** The lossy rendering and how much of each kind it folded. */
function collapse(lines: readonly string[], terms: readonly string[]) {
  const out: string[] = [];
  let gets = 0;
  let getsAt = -1;
  let unpackSteps = 0;
  let alternatives = 0;
  let run = 0;
  for (const line of lines) {
    const keep = terms.length > 0 && matchesTerms(line, terms);
    if (!ALTERNATIVES.test(line)) run = 0;
    if (GET.test(line) && !keep) {
      if (getsAt < 0) {
        getsAt = out.length;
        out.push("");
      }
      gets++;
      continue;
    }
    if (UNPACK_STEP.test(line) && !keep) {
      unpackSteps++;
      continue;
    }
    if (ALTERNATIVES.test(line) && !keep) {
      run++;
      if (run > ALTERNATIVES_KEPT) {
        alternatives++;
        continue;
      }
    }
    out.push(line);
  }
  if (getsAt >= 0) out[getsAt] = `[${formatCount(gets)} Get/Hit lines folded]`;
  return { out, gets, unpackSteps, alternatives };
}

function compressInstallText(input: string, ctx: CompressContext): CompressOutput | undefined {
  const settled = settleLines(input);
  const tail = input.endsWith("\n") ? "\n" : "";
  const losslessText = settled.join("\n") + tail;
  let best: CompressOutput | undefined =
    losslessText.length < input.length
      ? { text: losslessText, strategy: "install:settled", lossy: false }
      : undefined;
  if (!ctx.lossy) return best;
  const { out, gets, unpackSteps, alternatives } = collapse(settled, queryTerms(ctx.query));
  if (gets + unpackSteps + alternatives === 0) return best;
  const parts: string[] = [];
  if (gets > 0) parts.push(`${formatCount(gets)} download lines`);
  if (unpackSteps > 0) parts.push(`${formatCount(unpackSteps)} dpkg select/prepare/unpack lines`);
  if (alternatives > 0) parts.push(`${formatCount(alternatives)} update-alternatives lines`);
  const summary = `install log: ${parts.join(", ")} folded; every "Setting up" line (package and version) kept`;
  const lossyText = `${out.join("\n")}\n${ctx.marker(summary)}${tail}`;
  const baseline = best ? best.text.length : input.length;
  if (lossyText.length <= baseline * LOSSY_GAIN) {
    best = { text: lossyText, strategy: "install:collapse", lossy: true };
  }
  return best;
}

/** Compresses apt-get/dpkg install output. */
export const compressInstall: Compressor = (input, ctx) => {
  try {
    return compressInstallText(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("install", error);
    return undefined;
  }
};
