/**
 * Which BPE encoding counts a model's tokens, and by how much the count must be scaled when the
 * model's own tokenizer is not public (Claude).
 * @module
 */

/** The BPE encodings headroom can count with (both ship in gpt-tokenizer). */
export type EncodingName = "o200k_base" | "cl100k_base";

/** How to count tokens for one model. */
export interface TokenizerChoice {
  /** The encoding whose exact count is taken. */
  readonly encoding: EncodingName;
  /** Multiplier applied to that count: 1 for OpenAI models, above 1 for Claude estimates. */
  readonly factor: number;
}

/*
 * Claude correction factors. Anthropic does not publish its tokenizer, so Claude counts are
 * estimated as o200k counts times a factor.
 *
 * Claude 3.x to 4.6 share one tokenizer. A public side-by-side measurement of Claude 3.5 Sonnet
 * against GPT-4o on the same inputs (VentureBeat, "Hidden costs in AI deployment", May 2025)
 * found about 16% more tokens on English articles, 21% on math and 30% on Python code. Tool
 * output is mostly code, paths, logs and JSON, so we take the code-leaning middle: 1.25.
 *
 * Claude Opus 4.7 introduced a new tokenizer that, per Anthropic's migration guide, uses
 * "roughly 1.0 to 1.35x" the tokens of 4.6; independent count_tokens probes (claudecodecamp.com
 * and sol.ava.dev, April 2026) measured 1.13-1.33x on source code and about 1.3x on real Claude
 * Code content (terminal output, diffs, git logs). 1.25 x 1.25 = 1.5625, rounded to 1.55.
 * We assume that every Claude model of version 4.7 or later uses the new tokenizer.
 *
 * These are averages: a single text may differ by 10-15% either way. Only reported figures use
 * them; savings ratios are unaffected because both sides of a ratio are scaled alike.
 */
const CLAUDE_FACTOR = 1.25;
const CLAUDE_47_FACTOR = 1.55;

/** Returns the encoding and correction factor used to count tokens for `model`. */
export function tokenizerForModel(model: string): TokenizerChoice {
  const name = baseModelName(model);
  if (name.includes("claude")) {
    return { encoding: "o200k_base", factor: claudeFactor(name) };
  }
  return { encoding: encodingForModel(model), factor: 1 };
}

/**
 * Returns the BPE encoding for `model`: cl100k_base for GPT-4 (not 4o/4.1/4.5), GPT-3.5 and the
 * text-embedding models; o200k_base for everything else (GPT-4o, 4.1, 5, o-series, codex, Claude
 * estimates, unknown models).
 */
export function encodingForModel(model: string): EncodingName {
  const name = baseModelName(model);
  if (/^gpt-3\.5/.test(name) || /^gpt-4(?:-|$)/.test(name) || name.startsWith("text-embedding-")) {
    return "cl100k_base";
  }
  if (name === "babbage-002" || name === "davinci-002") return "cl100k_base";
  return "o200k_base";
}

/** Lower-cases the model id and drops provider prefixes such as "openai/" or "anthropic.". */
function baseModelName(model: string): string {
  let name = model.trim().toLowerCase();
  const slash = name.lastIndexOf("/");
  if (slash >= 0) name = name.slice(slash + 1);
  // Bedrock ids look like "anthropic.claude-opus-4-7-v1:0", Azure ones like "azure.gpt-4o".
  const dot = name.indexOf(".");
  if (dot > 0 && /^[a-z-]+$/.test(name.slice(0, dot)) && !name.startsWith("gpt-")) {
    name = name.slice(dot + 1);
  }
  return name;
}

/** Picks the Claude factor from the version in the name ("claude-opus-4-7", "claude-3-5-sonnet"). */
function claudeFactor(name: string): number {
  const version = claudeVersion(name);
  if (version === undefined) return CLAUDE_FACTOR;
  const [major, minor] = version;
  return major > 4 || (major === 4 && minor >= 7) ? CLAUDE_47_FACTOR : CLAUDE_FACTOR;
}

/** Reads "major[-.]minor" after "claude"; a minor of more than two digits is a date, not a minor. */
function claudeVersion(name: string): [number, number] | undefined {
  const at = name.indexOf("claude");
  const match = /(?:^|[-_.])(\d{1,2})(?:[-.](\d{1,2}))?(?![\d])/.exec(name.slice(at + 6));
  if (!match) return undefined;
  return [Number(match[1]), match[2] === undefined ? 0 : Number(match[2])];
}
