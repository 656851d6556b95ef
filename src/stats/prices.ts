/**
 * Dollar figures: list prices per million tokens (input, cached input, cache write, output) for
 * the models headroom commonly proxies, matched by the longest model-name prefix. A
 * `prices.json` in the workspace directory adds or overrides entries
 * (`{"model-prefix": {"input": 3, "cached_input": 0.3, "cache_write": 3.75, "output": 15}}`).
 * These are list prices captured for this release; they are estimates, never invoices.
 * @module
 */

/** Prices in US dollars per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput: number;
  readonly cacheWrite: number;
  readonly output: number;
}

function anthropic(input: number, output: number): ModelPrice {
  // Anthropic bills cache reads at 0.1x and 5-minute cache writes at 1.25x the input price.
  return { input, cachedInput: input * 0.1, cacheWrite: input * 1.25, output };
}

function openai(input: number, cachedInput: number, output: number): ModelPrice {
  // OpenAI caches automatically: writes cost the normal input price.
  return { input, cachedInput, cacheWrite: input, output };
}

function gemini(input: number, cachedInput: number, output: number): ModelPrice {
  // Gemini's implicit caching bills no write; explicit caches' hourly storage is not per token.
  // Prices are the standard tier for prompts up to 200k tokens (Pro models cost more above).
  return { input, cachedInput, cacheWrite: input, output };
}

/**
 * The embedded table, by model-name prefix. Gemini rows: Google's public Gemini API price list
 * (ai.google.dev pricing page) as of December 2025, paid tier, text input.
 */
const EMBEDDED_PRICES: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-4-5": anthropic(5, 25),
  "claude-opus-4-6": anthropic(5, 25),
  "claude-opus-4-7": anthropic(5, 25),
  "claude-opus-4": anthropic(15, 75),
  "claude-sonnet-4": anthropic(3, 15),
  "claude-3-7-sonnet": anthropic(3, 15),
  "claude-3-5-sonnet": anthropic(3, 15),
  "claude-haiku-4": anthropic(1, 5),
  "claude-3-5-haiku": anthropic(0.8, 4),
  "gpt-4o-mini": openai(0.15, 0.075, 0.6),
  "gpt-4o": openai(2.5, 1.25, 10),
  "gpt-4.1-nano": openai(0.1, 0.025, 0.4),
  "gpt-4.1-mini": openai(0.4, 0.1, 1.6),
  "gpt-4.1": openai(2, 0.5, 8),
  "gpt-5-nano": openai(0.05, 0.005, 0.4),
  "gpt-5-mini": openai(0.25, 0.025, 2),
  "gpt-5": openai(1.25, 0.125, 10),
  "o4-mini": openai(1.1, 0.275, 4.4),
  o3: openai(2, 0.5, 8),
  "gemini-3-pro": gemini(2, 0.2, 12),
  "gemini-3-flash": gemini(0.5, 0.05, 3),
  "gemini-2.5-pro": gemini(1.25, 0.125, 10),
  "gemini-2.5-flash-lite": gemini(0.1, 0.01, 0.4),
  "gemini-2.5-flash": gemini(0.3, 0.03, 2.5),
  "gemini-2.0-flash-lite": gemini(0.075, 0.075, 0.3),
  "gemini-2.0-flash": gemini(0.1, 0.025, 0.4),
};

const KNOWN_MODELS_MAX = 256;

/** A price lookup over the embedded table and optional overrides. */
export class PriceTable {
  readonly #entries: [string, ModelPrice][];

  constructor(overrides: Readonly<Record<string, ModelPrice>> = {}) {
    const merged = { ...EMBEDDED_PRICES, ...overrides };
    // Longest prefix first, so "gpt-4o-mini" wins over "gpt-4o".
    this.#entries = Object.entries(merged).sort((a, b) => b[0].length - a[0].length);
  }

  // Every ledger row asks for its model's price: the answers are kept per model name (bounded,
  // since the name is the client's).
  readonly #known = new Map<string, ModelPrice | undefined>();

  /** The price of `model`, or undefined when headroom does not know it. */
  priceOf(model: string | undefined): ModelPrice | undefined {
    if (!model) return undefined;
    if (this.#known.has(model)) return this.#known.get(model);
    const name = model.toLowerCase().replace(/^.*\//, "");
    const price = this.#entries.find(([prefix]) => name.startsWith(prefix))?.[1];
    if (this.#known.size >= KNOWN_MODELS_MAX) this.#known.clear();
    this.#known.set(model, price);
    return price;
  }
}

/** Parses a prices.json override file; invalid entries are reported, not silently used. */
export function parsePriceOverrides(text: string): {
  prices: Record<string, ModelPrice>;
  problems: string[];
} {
  const prices: Record<string, ModelPrice> = {};
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { prices, problems: [`prices.json is not JSON: ${(error as Error).message}`] };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { prices, problems: ["prices.json must be an object"] };
  for (const [model, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = value as Record<string, unknown> | null;
    const input = Number(v?.input);
    const output = Number(v?.output);
    if (!Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) {
      problems.push(`prices.json: "${model}" needs numeric input and output prices`);
      continue;
    }
    const cachedInput = Number.isFinite(Number(v?.cached_input)) ? Number(v?.cached_input) : input;
    const cacheWrite = Number.isFinite(Number(v?.cache_write)) ? Number(v?.cache_write) : input;
    prices[model.toLowerCase()] = { input, cachedInput, cacheWrite, output };
  }
  return { prices, problems };
}
