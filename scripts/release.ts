/**
 * Builds a release: cross-compiled archives for every platform, SHA256SUMS, install.sh,
 * install.ps1 and a Homebrew formula, into dist/release/v<version>/ and, for mirrors, dist/release/latest/ (the
 * layout install.sh reads from HEADROOM_INSTALL_BASE_URL).
 *
 *   bun run scripts/release.ts [--out DIR] [--targets linux-x64,darwin-arm64,...]
 */

import { copyFileSync, cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { buildArchives, TARGETS } from "./build-matrix.ts";
import { homebrewFormula } from "./release/homebrew-formula.ts";

/** Where the project publishes releases (install.sh has the same default). */
export const RELEASES = "https://github.com/headroom-dev/headroom/releases";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { out: { type: "string" }, targets: { type: "string" } },
  strict: true,
});
const root = values.out ?? "dist/release";
const names = values.targets ? values.targets.split(",") : Object.keys(TARGETS);
const tag = `v${pkg.version}`;
const out = join(root, tag);
rmSync(out, { recursive: true, force: true });

let sums: Awaited<ReturnType<typeof buildArchives>>;
try {
  sums = await buildArchives(out, names);
} catch (error) {
  console.error(`release: ${(error as Error).message}`);
  process.exit(1);
}
for (const installer of ["install.sh", "install.ps1"])
  copyFileSync(installer, join(out, installer));
const formulaTargets = ["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64"];
if (formulaTargets.every((name) => names.includes(name))) {
  writeFileSync(
    join(out, "headroom.rb"),
    homebrewFormula(pkg.version, `${RELEASES}/download/${tag}`, sums),
  );
} else {
  console.error("skipped headroom.rb: it needs the darwin and linux x64 and arm64 archives");
}
rmSync(join(root, "latest"), { recursive: true, force: true });
cpSync(out, join(root, "latest"), { recursive: true });
console.error(`release ${tag}: ${sums.size} archives in ${out} (and ${root}/latest)`);
