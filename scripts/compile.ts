/**
 * Compiles the headroom executable with `bun build --compile`: one self-contained file, with
 * .env and bunfig.toml autoloading switched off so the proxy never reads a project's secrets.
 *
 * Two choices keep start-up small (measured by `npm run perf`):
 * - The bundle is compiled to bytecode, so the runtime does not parse ~4 MB of JavaScript at
 *   every start (ready in about a third of the time).
 * - gpt-tokenizer's BPE rank tables (about 3.7 MB of array literals for o200k, 1.5 MB for cl100k)
 *   are embedded as JSON data files instead of JavaScript, read only when an encoding is first
 *   loaded. As code they would cost about 5 MB of resident bytecode at idle even though the
 *   proxy never counts a token until it compresses something, and they load faster as JSON.
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { PARSER_HEADER_FLAG } from "../src/runtime/header-limit.ts";

const RANK_TABLE = /gpt-tokenizer[\\/]esm[\\/]bpeRanks[\\/][a-z0-9_]+\.js$/;
const RANKS_DIR = join(import.meta.dir, "..", "node_modules", "gpt-tokenizer", "esm", "bpeRanks");
// The encodings src/compress/tokens.ts imports.
const TABLES = ["o200k_base", "cl100k_base"];

/**
 * Writes the rank tables as JSON into `dir` before the build starts. Not while it runs: Bun's
 * resolver caches directory listings, so a file written during the build could fail to resolve
 * (a flaky "Could not resolve .../cl100k_base.json").
 */
async function writeRankTables(dir: string): Promise<void> {
  for (const table of TABLES) {
    const ranks: unknown = (await import(join(RANKS_DIR, `${table}.js`))).default;
    await Bun.write(join(dir, `${table}.json`), JSON.stringify(ranks));
  }
}

/** Replaces each rank-table module by its JSON file in `dir`, embedded and parsed on import. */
function rankTablesAsData(dir: string): Bun.BunPlugin {
  return {
    name: "headroom-rank-tables-as-data",
    setup(build) {
      build.onLoad({ filter: RANK_TABLE }, (args) => {
        const file = join(dir, `${basename(args.path, ".js")}.json`);
        if (!existsSync(file)) {
          throw new Error(`${args.path}: not converted; add it to TABLES in scripts/compile.ts`);
        }
        return {
          loader: "js",
          contents: [
            `import path from ${JSON.stringify(file)} with { type: "file" };`,
            `import { readFileSync } from "node:fs";`,
            `export default JSON.parse(readFileSync(path, "utf8"));`,
          ].join("\n"),
        };
      });
    },
  };
}

/** Compiles `src/cli/main.ts` into `outfile` for `target` (this machine when absent). */
export async function compileHeadroom(
  outfile: string,
  target?: Bun.Build.CompileTarget,
): Promise<void> {
  const tables = mkdtempSync(join(tmpdir(), "headroom-rank-tables-"));
  let result: Bun.BuildOutput;
  try {
    await writeRankTables(tables);
    result = await Bun.build({
      // The compression pool's worker is an entrypoint of its own: Bun embeds it beside the
      // CLI, and `new Worker` in src/runtime/compress-pool.ts finds it inside the executable.
      // Without it, the executable looks for the worker at its path in this source tree, which
      // exists only on the machine that built it (elsewhere compression runs in-thread).
      entrypoints: ["./src/cli/main.ts", "./src/runtime/compress-worker.ts"],
      minify: true,
      sourcemap: "none",
      bytecode: true,
      plugins: [rankTablesAsData(tables)],
      compile: {
        outfile,
        autoloadDotenv: false,
        autoloadBunfig: false,
        autoloadTsconfig: false,
        autoloadPackageJson: false,
        // Bun's parser limit on request headers, above headroom's own (src/runtime/header-limit.ts).
        execArgv: [PARSER_HEADER_FLAG],
        ...(target ? { target } : {}),
      },
    });
  } finally {
    rmSync(tables, { recursive: true, force: true });
  }
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`Cannot compile headroom for ${target ?? "this machine"}`);
  }
}
