/**
 * Reads compiler and linter diagnostics into records, in the dialect of the tool that printed
 * them: tsc (plain and --pretty), eslint (stylish and unix), biome, gcc/clang, rustc/cargo, mypy
 * and flake8 (with pycodestyle, pyflakes and ruff's concise form). Each record says which lines
 * it spans, so the caller can replace them and keep every other line (summaries, program output)
 * as printed. Lines must be free of colour codes; every regex is anchored and works on a capped
 * line.
 * @module
 */

import { parseBiome } from "./diagnostics-biome.ts";
import { parseEslintStylish, parseEslintUnix } from "./diagnostics-eslint.ts";
import { parseGcc, parseRustc } from "./diagnostics-native.ts";
import { parseFlake8, parseMypy } from "./diagnostics-python.ts";
import type { ParsedDiagnostics, Parser } from "./diagnostics-record.ts";
import { parseTscPlain, parseTscPretty } from "./diagnostics-tsc.ts";

export type { Diagnostic, ParsedDiagnostics } from "./diagnostics-record.ts";

/** The readers; on a tie in the sample the earlier one wins. */
const PARSERS: ReadonlyArray<[string, Parser]> = [
  ["tsc", parseTscPlain],
  ["tsc-pretty", parseTscPretty],
  ["eslint-unix", parseEslintUnix],
  ["eslint", parseEslintStylish],
  ["biome", parseBiome],
  ["gcc", parseGcc],
  ["rustc", parseRustc],
  ["mypy", parseMypy],
  ["flake8", parseFlake8],
];

/** Lines read to pick the dialect before the whole text is parsed in it. */
const DIALECT_SAMPLE_LINES = 400;

/** Parses `lines` in the dialect that finds the most diagnostics in the first lines, if any. */
export function parseDiagnostics(lines: readonly string[]): ParsedDiagnostics | undefined {
  const sample = lines.length > DIALECT_SAMPLE_LINES ? lines.slice(0, DIALECT_SAMPLE_LINES) : lines;
  let best: [string, Parser] | undefined;
  let bestCount = 0;
  for (const entry of PARSERS) {
    const count = entry[1](sample).length;
    if (count > bestCount) {
      best = entry;
      bestCount = count;
    }
  }
  if (best === undefined) return undefined;
  const parsed = best[1](lines);
  return { dialect: best[0], diagnostics: parsed.diagnostics, owner: parsed.owner };
}
