import { beforeAll, describe, expect, test } from "bun:test";
import { countTokens as o200kCount } from "gpt-tokenizer/encoding/o200k_base";
import {
  clearTokenCaches,
  countTokens,
  countTokensAsync,
  countWithEncoding,
  encodingForModel,
  estimateTokens,
  loadEncoding,
  loadTokenizerFor,
  tokenCacheStats,
  tokenizerForModel,
} from "../../src/compress/tokens.ts";
import { contentHash } from "../../src/compress/tokens-cache.ts";
import { parityCases } from "../helpers/parity.ts";

beforeAll(async () => {
  await Promise.all([loadEncoding("o200k_base"), loadEncoding("cl100k_base")]);
});

describe("encodingForModel", () => {
  const o200k = [
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4o-2024-08-06",
    "chatgpt-4o-latest",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.5-preview",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-codex",
    "gpt-5.1-codex-max",
    "o1",
    "o1-mini",
    "o3",
    "o3-mini",
    "o4-mini",
    "codex-mini-latest",
    "gpt-oss-120b",
    "claude-sonnet-4-5",
    "llama-3.1-70b",
    "some-unknown-model",
    "",
  ];
  const cl100k = [
    "gpt-4",
    "gpt-4-0613",
    "gpt-4-turbo",
    "gpt-4-turbo-2024-04-09",
    "gpt-4-32k",
    "gpt-3.5-turbo",
    "gpt-3.5-turbo-0125",
    "text-embedding-3-small",
    "text-embedding-ada-002",
    "openai/gpt-4",
    "GPT-4-Turbo",
  ];
  for (const model of o200k) {
    test(`${model || "(empty)"} -> o200k_base`, () =>
      expect(encodingForModel(model)).toBe("o200k_base"));
  }
  for (const model of cl100k) {
    test(`${model} -> cl100k_base`, () => expect(encodingForModel(model)).toBe("cl100k_base"));
  }
});

describe("tokenizerForModel: Claude correction factors", () => {
  const legacy = [
    "claude-3-5-sonnet-20241022",
    "claude-3-opus-20240229",
    "claude-3-haiku-20240307",
    "claude-opus-4-20250514",
    "claude-opus-4-1",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5",
    "claude-opus-4-6",
    "claude-3-5-sonnet@20240620",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "claude-2.1",
    "claude",
  ];
  const current = [
    "claude-opus-4-7",
    "claude-opus-4-7-20260416",
    "anthropic/claude-opus-4.7",
    "us.anthropic.claude-opus-4-7-v1:0",
    "claude-sonnet-5",
    "Claude-Opus-4-8",
  ];
  for (const model of legacy) {
    test(`${model}: o200k x 1.25`, () => {
      expect(tokenizerForModel(model)).toEqual({ encoding: "o200k_base", factor: 1.25 });
    });
  }
  for (const model of current) {
    test(`${model}: o200k x 1.55 (new tokenizer)`, () => {
      expect(tokenizerForModel(model)).toEqual({ encoding: "o200k_base", factor: 1.55 });
    });
  }
  test("OpenAI models are exact", () => {
    expect(tokenizerForModel("gpt-4o").factor).toBe(1);
    expect(tokenizerForModel("gpt-4").factor).toBe(1);
  });
});

describe("countTokens", () => {
  test("matches the 40 recorded o200k_base counts exactly", () => {
    const cases = parityCases("tokenizer");
    expect(cases.length).toBe(40);
    for (const c of cases) {
      expect(countTokens(c.input as string, "gpt-4o")).toBe(c.output as number);
      expect(countTokens(c.input as string, "gpt-5")).toBe(c.output as number);
    }
  });

  test("cl100k models count with cl100k", () => {
    const text = "The quick brown fox jumps over the lazy dog. 你好，世界 🚀";
    // Two encodings that disagree on this text, so the choice is observable.
    expect(countTokens(text, "gpt-4")).not.toBe(countTokens(text, "gpt-4o"));
    expect(countTokens(text, "gpt-4o")).toBe(o200kCount(text));
  });

  test("Claude counts are the o200k count times the factor, rounded", () => {
    const text = "error[E0308]: mismatched types\n  --> src/main.rs:14:20\n".repeat(20);
    const base = o200kCount(text);
    expect(countTokens(text, "claude-sonnet-4-5")).toBe(Math.round(base * 1.25));
    expect(countTokens(text, "claude-opus-4-7")).toBe(Math.round(base * 1.55));
  });

  test("special-token strings in tool output are counted as text, not rejected", () => {
    const text = "model said <|endoftext|> then <|im_start|>user";
    expect(countTokens(text, "gpt-4o")).toBe(o200kCount(text, { disallowedSpecial: new Set() }));
    expect(countTokens(text, "gpt-4")).toBeGreaterThan(10);
  });

  test("empty text is zero tokens", () => {
    expect(countTokens("", "gpt-4o")).toBe(0);
  });

  test("countTokensAsync loads and counts", async () => {
    expect(await countTokensAsync("hello world", "o3")).toBe(2);
    await loadTokenizerFor("claude-opus-4-7");
  });
});

describe("the count cache", () => {
  test("the same content is tokenized once", () => {
    clearTokenCaches();
    const small = "PASSED test_a\nFAILED test_b\n";
    const large = "2024-05-02 10:15:00 INFO request ok\n".repeat(200);
    const first = countWithEncoding(large, "o200k_base");
    countWithEncoding(small, "o200k_base");
    // A different string object with the same content hits too.
    expect(countWithEncoding(`${large.slice(0, 100)}${large.slice(100)}`, "o200k_base")).toBe(
      first,
    );
    countWithEncoding(small, "o200k_base");
    expect(tokenCacheStats("o200k_base")).toEqual({ hits: 2, misses: 2, entries: 2 });
  });

  test("each encoding has its own entries", () => {
    clearTokenCaches();
    countWithEncoding("hello", "o200k_base");
    countWithEncoding("hello", "cl100k_base");
    expect(tokenCacheStats("o200k_base").misses).toBe(1);
    expect(tokenCacheStats("cl100k_base").misses).toBe(1);
  });

  test("the cache is bounded", () => {
    clearTokenCaches();
    for (let i = 0; i < 5000; i++) countWithEncoding(`row ${i}`, "o200k_base");
    expect(tokenCacheStats("o200k_base").entries).toBe(4096);
    // The oldest entries were evicted, the newest kept.
    countWithEncoding("row 4999", "o200k_base");
    countWithEncoding("row 0", "o200k_base");
    expect(tokenCacheStats("o200k_base")).toMatchObject({ hits: 1, misses: 5001 });
  });

  test("contentHash differs for near-identical large texts and is stable", () => {
    const a = "x".repeat(10_000);
    const b = `${"x".repeat(9_999)}y`;
    const c = `y${"x".repeat(9_999)}`;
    expect(contentHash(a)).toBe(contentHash("x".repeat(10_000)));
    expect(new Set([contentHash(a), contentHash(b), contentHash(c)]).size).toBe(3);
    expect(contentHash(a)).toMatch(/^[0-9a-f]{16}$/);
  });
});

// ---------------------------------------------------------------------------------------------
// estimateTokens: error against exact o200k counts.

function inputText(input: unknown): string {
  if (typeof input === "string") return input;
  if (
    input &&
    typeof input === "object" &&
    "content" in input &&
    typeof input.content === "string"
  ) {
    return input.content;
  }
  return JSON.stringify(input);
}

const REALISTIC: Record<string, string> = {
  "JSON API response (pretty)": JSON.stringify(
    Array.from({ length: 150 }, (_, i) => ({
      id: 10_000 + i,
      uuid: `${(i * 2654435761).toString(16).padStart(8, "0")}-4a1b-9c2d-${(i * 97).toString(16).padStart(12, "0")}`,
      status: ["active", "pending", "failed"][i % 3],
      amount: (i * 37.25) % 1000,
      created_at: `2024-0${1 + (i % 9)}-1${i % 9}T0${i % 9}:${10 + (i % 49)}:00Z`,
      description: `Order ${i} was shipped by the ${["north", "south", "east"][i % 3]} warehouse.`,
    })),
    null,
    2,
  ),
  "application log": Array.from(
    { length: 300 },
    (_, i) =>
      `2024-03-15T10:${String(10 + (i % 50)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.${String((i * 7) % 1000).padStart(3, "0")}Z ${["INFO", "DEBUG", "WARN", "ERROR"][i % 4]} [worker-${i % 8}] request_id=${(i * 7919).toString(36)} ${i % 4 === 3 ? "upstream failed: connect ECONNREFUSED 10.0.0.12:5432" : `completed in ${(i * 13) % 900}ms`}`,
  ).join("\n"),
  "pytest output": [
    "============================= test session starts ==============================",
    "platform linux -- Python 3.11.2, pytest-7.4.0, pluggy-1.2.0",
    ...Array.from(
      { length: 150 },
      (_, i) =>
        `tests/test_mod_${i % 10}.py::test_case_${i} ${i % 17 === 5 ? "FAILED" : "PASSED"}   [${String(Math.floor((i * 100) / 150)).padStart(3)}%]`,
    ),
    "FAILED tests/test_mod_5.py::test_case_5 - assert 4 == 5",
    "========================= 9 failed, 141 passed in 3.21s =========================",
  ].join("\n"),
  "TypeScript source": `import { describe, expect, test } from "bun:test";\n${Array.from(
    { length: 40 },
    (_, i) =>
      `export function handler${i}(request: Request, options: { timeoutMs?: number } = {}): Promise<Response> {\n  const url = new URL(request.url);\n  if (url.pathname === "/v${i}/items") {\n    return fetchItems(url.searchParams.get("cursor") ?? undefined, options.timeoutMs ?? 5000);\n  }\n  return Promise.resolve(new Response("not found", { status: 404 }));\n}\n`,
  ).join("\n")}`,
  "grep results": Array.from(
    { length: 200 },
    (_, i) =>
      `src/components/${["Button", "Form", "Table", "Modal"][i % 4]}.tsx:${i * 3 + 1}:  const [value, setValue] = useState<string>("");`,
  ).join("\n"),
  "unified diff": Array.from(
    { length: 30 },
    (_, i) =>
      `diff --git a/src/f${i}.py b/src/f${i}.py\nindex 3b18e51..a9c2f1d 100644\n--- a/src/f${i}.py\n+++ b/src/f${i}.py\n@@ -${i * 10},6 +${i * 10},7 @@ def handler_${i}(event):\n     payload = json.loads(event["body"])\n-    return process(payload)\n+    result = process(payload, retries=3)\n+    return result\n`,
  ).join(""),
};

function relativeError(text: string): number {
  const exact = o200kCount(text, { disallowedSpecial: new Set() });
  return (estimateTokens(text) - exact) / exact;
}

describe("estimateTokens", () => {
  test("empty text is zero; any other text at least one", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens(" ")).toBe(1);
    expect(estimateTokens("a")).toBe(1);
  });

  test("within 15% of o200k on realistic tool outputs", () => {
    for (const [name, text] of Object.entries(REALISTIC)) {
      const error = relativeError(text);
      expect({ name, withinBound: Math.abs(error) <= 0.15 }).toEqual({ name, withinBound: true });
    }
  });

  test("on the parity fixture inputs: within 20% each (>= 20 tokens), within 5% in aggregate", () => {
    let estimated = 0;
    let exact = 0;
    for (const transform of [
      "diff_compressor",
      "log_compressor",
      "smart_crusher",
      "text_crusher",
      "tokenizer",
      "content_detector",
    ]) {
      for (const c of parityCases(transform)) {
        const text = inputText(c.input);
        const count = o200kCount(text, { disallowedSpecial: new Set() });
        estimated += estimateTokens(text);
        exact += count;
        if (count >= 20) {
          const error = (estimateTokens(text) - count) / count;
          expect({ file: `${transform}/${c.file}`, ok: Math.abs(error) <= 0.2 }).toEqual({
            file: `${transform}/${c.file}`,
            ok: true,
          });
        }
      }
    }
    expect(Math.abs(estimated - exact) / exact).toBeLessThan(0.05);
  });

  test("large texts are estimated from samples, still close", () => {
    const big = (REALISTIC["JSON API response (pretty)"] ?? "").repeat(12);
    expect(big.length).toBeGreaterThan(256 * 1024);
    expect(Math.abs(relativeError(big))).toBeLessThan(0.1);
    const log = (REALISTIC["application log"] ?? "").repeat(10);
    expect(Math.abs(relativeError(log))).toBeLessThan(0.1);
  });

  test("non-Latin scripts and emoji are not wildly off", () => {
    const text =
      "日本語のテキストと中文内容，还有 русский текст и emoji 🚀✨ mixed with English words.";
    expect(Math.abs(relativeError(text))).toBeLessThan(0.35);
  });

  test("is deterministic", () => {
    const text = REALISTIC["TypeScript source"] ?? "";
    expect(estimateTokens(text)).toBe(estimateTokens(text));
  });

  test("random strings: a positive integer, never more than one per UTF-16 unit plus one", () => {
    let seed = 99;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = ' \n\t{}[]":,.-_/\\0123456789abcXYZ<>|=#@✓é中🚀\ud800';
    for (let i = 0; i < 300; i++) {
      let text = "";
      const length = 1 + Math.floor(random() * 200);
      for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      const estimate = estimateTokens(text);
      expect(Number.isInteger(estimate) && estimate >= 1 && estimate <= text.length + 1).toBe(true);
      expect(countTokens(text, "gpt-4o")).toBeGreaterThan(0);
    }
  });

  test("never throws on odd input", () => {
    for (const text of [
      "\ud800",
      "\udc00x",
      "\u0000\u0001",
      "\r\n\r\n",
      "\t ".repeat(100),
      "-".repeat(5000),
    ]) {
      expect(estimateTokens(text)).toBeGreaterThan(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Lazy loading: checked in a fresh process, since other test files may have loaded the tables.

describe("lazy loading", () => {
  test("importing tokens.ts loads no table; loadEncoding does, and then counting is synchronous", () => {
    const script = `
      const rss = () => process.memoryUsage().rss / 1048576;
      const base = rss();
      const t = await import(${JSON.stringify(`${import.meta.dir}/../../src/compress/tokens.ts`)});
      const afterImport = rss();
      let threw = false;
      try { t.countTokens("hello", "gpt-4o"); } catch { threw = true; }
      const loadedBefore = t.isEncodingLoaded("o200k_base");
      await t.loadTokenizerFor("gpt-4o");
      const count = t.countTokens("hello world", "gpt-4o");
      const afterLoad = rss();
      console.log(JSON.stringify({ threw, loadedBefore, loadedAfter: t.isEncodingLoaded("o200k_base"),
        cl100k: t.isEncodingLoaded("cl100k_base"), count, importMb: afterImport - base, loadMb: afterLoad - afterImport }));
    `;
    const run = Bun.spawnSync([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    expect(run.stderr.toString()).toBe("");
    const result = JSON.parse(run.stdout.toString());
    expect(result).toMatchObject({
      threw: true,
      loadedBefore: false,
      loadedAfter: true,
      cl100k: false,
      count: 2,
    });
    // The o200k tables are tens of megabytes; the import alone must not pull them in.
    expect(result.importMb).toBeLessThan(20);
    expect(result.loadMb).toBeGreaterThan(40);
  });
});
