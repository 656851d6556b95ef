/**
 * The `headroom` executable's entry: dispatches subcommands. Never `export default` anything
 * here: Bun would start a server on port 3000 for a default-exported app.
 * @module
 */

import pkg from "../../package.json" with { type: "json" };
import { runCompress } from "./compress-command.ts";
import { MAIN_HELP } from "./help.ts";
import { runProxy } from "./proxy-command.ts";
import { runRetrieve } from "./retrieve-command.ts";
import { runSelftest } from "./selftest/selftest-command.ts";
import { runStats } from "./stats-command.ts";
import { stopWithNpm } from "./stop-with-npm.ts";
import { UsageError } from "./usage-error.ts";
import { runDoctor } from "./wrap/doctor-command.ts";
import { runUnwrap } from "./wrap/unwrap-command.ts";
import { runWrap } from "./wrap/wrap-command.ts";
import { writeOut } from "./write-out.ts";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    await writeOut(MAIN_HELP);
    return 0;
  }
  if (command === "--version" || command === "-V" || command === "version") {
    await writeOut(`headroom ${pkg.version}\n`);
    return 0;
  }
  switch (command) {
    case "proxy":
      stopWithNpm(process.env);
      return runProxy(rest, pkg.version);
    case "compress":
      return runCompress(rest);
    case "retrieve":
      return runRetrieve(rest);
    case "stats":
      return runStats(rest);
    case "wrap":
      return runWrap(rest, pkg.version);
    case "unwrap":
      return runUnwrap(rest);
    case "doctor":
      return runDoctor(rest, pkg.version);
    case "selftest":
      return runSelftest(rest, pkg.version);
    default:
      throw new UsageError(`unknown command '${command}' (see headroom --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`headroom: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`headroom: ${(error as Error)?.message ?? String(error)}\n`);
    if (process.env.HEADROOM_DEBUG === "1") process.stderr.write(`${(error as Error)?.stack}\n`);
    process.exit(1);
  },
);
