/**
 * `headroom compress [FILE|-] [--query TEXT] [--json]`: compresses command output for pasting or
 * piping into an agent's context. Prints the compressed text (the input itself when nothing was
 * worth changing) and a one-line summary on stderr.
 * @module
 */

import type { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { itemCount } from "../ccr/item-count.ts";
import { compressText } from "../compress/compress-text.ts";
import { detectContent } from "../compress/detect.ts";
import { countTokensAsync } from "../compress/tokens.ts";
import { createLogger } from "../core/logger.ts";
import { loadPrices } from "../runtime/load-prices.ts";
import { nativeSha256 } from "../runtime/native-sha256.ts";
import { type LedgerRow, savedCost } from "../stats/ledger-row.ts";
import type { PriceTable } from "../stats/prices.ts";
import { openWorkspaceDatabase } from "../store/sqlite-db.ts";
import { SqliteLedgerStore } from "../store/sqlite-ledger.ts";
import { SqliteOriginalStore } from "../store/sqlite-original-store.ts";
import { cliConfig } from "./cli-config.ts";
import { UsageError } from "./usage-error.ts";
import { writeOut } from "./write-out.ts";

/** `headroom compress --help`. */
const COMPRESS_HELP = `Usage: headroom compress [FILE|-] [options]

Compresses tool or command output (JSON, logs, build and test output, grep results, diffs,
listings, tables) and prints the result; reads standard input when FILE is - or absent.

Options:
  --query TEXT     what you are looking for: matching rows and lines are kept
  --model MODEL    the model whose tokenizer counts the savings (default gpt-4o)
  --json           print {kind, strategy, text, tokens_before, tokens_after, tokens_saved} as JSON
  --lossless       never drop content (by default dropped content is stored in the workspace
                   and stays retrievable with headroom retrieve HASH or by the model)
  -h, --help       print this help
`;

async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === "-") return await new Response(Bun.stdin.stream()).text();
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

const silentLog = createLogger(
  () => "silent",
  () => {},
);

/** The ledger row of one CLI compression. */
function cliRow(model: string, before: number, after: number, prices: PriceTable): LedgerRow {
  const saved = before - after;
  return {
    ts: Date.now(),
    layer: "cli",
    provider: null,
    model,
    api: null,
    agent: "headroom-compress",
    userAgent: null,
    project: null,
    stack: null,
    auth: null,
    tokensBefore: before,
    tokensAfter: after,
    tokensSaved: saved,
    compressibleTokens: before,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    usageEstimated: false,
    overheadMs: null,
    ttfbMs: null,
    durationMs: 0,
    transforms: "",
    status: 0,
    outcome: "cli",
    streamed: false,
    aborted: false,
    cached: false,
    retrievals: 0,
    overBudget: 0,
    shaping: "",
    cacheRewrite: "",
    costUsd: null,
    savedUsd: savedCost(prices, model, saved),
  };
}

/** Runs `write`; on failure says so on stderr and returns false. */
function tryWrite(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code ?? (error as Error)?.message;
    process.stderr.write(`headroom: the workspace store is not writable (${String(code)})\n`);
    return false;
  }
}

/** Runs `headroom compress`; resolves with the exit code. */
export async function runCompress(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    await writeOut(COMPRESS_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError("compress takes at most one FILE");
  const input = await readInput(positionals[0]);
  const model = values.model ?? "gpt-4o";
  const config = cliConfig({});
  // Lossy only where the original can be stored for the proxy and `headroom retrieve` to serve.
  const lossy = config.lossy && !config.stateless && !values.lossless;
  const hash = nativeSha256(input).slice(0, 24);
  const options = { query: values.query ?? "", hash: () => hash };
  let result = compressText(input, { ...options, lossy });
  // The workspace store is best effort: a locked, read-only or full one never costs the output.
  let db: Database | undefined;
  if (!config.stateless)
    tryWrite(() => {
      db = openWorkspaceDatabase(config.workspaceDir);
    });
  let before: number;
  let after: number;
  try {
    const compressed = result;
    const stored =
      compressed?.lossy === true &&
      db !== undefined &&
      tryWrite(() =>
        new SqliteOriginalStore(db!, config.ccrTtlSeconds, config.ccrMaxBytes).put({
          hash,
          content: input,
          toolName: "headroom compress",
          originalItems: itemCount(input),
          keptItems: itemCount(compressed.text),
        }),
      );
    // A marker nothing could redeem never goes out: without its original, lossless only.
    if (compressed?.lossy && !stored) result = compressText(input, { ...options, lossy: false });
    before = await countTokensAsync(input, model);
    after = result ? await countTokensAsync(result.text, model) : before;
    // The CLI layer's savings go into the same ledger as the proxy's.
    if (db && result) {
      const row = cliRow(model, before, after, loadPrices(config.workspaceDir, silentLog));
      tryWrite(() => new SqliteLedgerStore(db!).insert(row));
    }
  } finally {
    db?.close();
  }
  const text = result?.text ?? input;
  const kind = result?.kind ?? detectContent(input);
  if (values.json) {
    await writeOut(
      `${JSON.stringify({ kind, strategy: result?.strategy ?? "none", lossy: result?.lossy ?? false, text, tokens_before: before, tokens_after: after, tokens_saved: before - after })}\n`,
    );
  } else {
    await writeOut(text.endsWith("\n") || text === "" ? text : `${text}\n`);
  }
  const percent = before === 0 ? 0 : Math.round(((before - after) / before) * 1000) / 10;
  process.stderr.write(
    `headroom: ${kind}, ${before.toLocaleString("en-US")} → ${after.toLocaleString("en-US")} tokens (${percent}% saved${result ? `, ${result.strategy}` : ""})\n`,
  );
  return 0;
}

const OPTIONS = {
  query: { type: "string" },
  model: { type: "string" },
  json: { type: "boolean" },
  lossless: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
