/**
 * Checks scripts/corpus/agent-shapes.ts against captured Claude Code and Codex tool results
 * (see agent-shapes-fixtures.ts) and shows where each differing one first differs. Exits 1 on
 * any difference.
 *
 *   bun run scripts/corpus/check-agent-shapes.ts [FIXTURES_DIR]   (default tests/fixtures/agent-shapes)
 */

import { compareFixtures } from "./agent-shapes-fixtures.ts";

const results = compareFixtures(process.argv[2] ?? "tests/fixtures/agent-shapes");
for (const { name, tool, status, sent, ours } of results) {
  if (status === "skip") {
    console.log(`skip  ${name} (${tool} is not an agent shape the corpus uses)`);
  } else if (status === "same") {
    console.log(`same  ${name}`);
  } else {
    const mine = ours ?? "";
    let at = 0;
    while (at < mine.length && mine[at] === sent[at]) at++;
    console.log(`DIFF  ${name} at char ${at} of ${sent.length} (ours ${mine.length})`);
    console.log(`  sent: ${JSON.stringify(sent.slice(Math.max(0, at - 40), at + 60))}`);
    console.log(`  ours: ${JSON.stringify(mine.slice(Math.max(0, at - 40), at + 60))}`);
  }
}
process.exit(results.some((r) => r.status === "diff") ? 1 : 0);
