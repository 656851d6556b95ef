/**
 * Cross-compiles headroom for every supported platform into dist/release/, one archive per
 * target, plus SHA256SUMS. Bun fetches each target's runtime from the npm registry on first use.
 *
 *   bun run scripts/build-matrix.ts [target ...]
 */

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { compileHeadroom } from "./compile.ts";

/** Archive name suffix → Bun compile target. */
export const TARGETS: Record<string, Bun.Build.CompileTarget> = {
  "linux-x64": "bun-linux-x64",
  "linux-x64-baseline": "bun-linux-x64-baseline",
  "linux-arm64": "bun-linux-arm64",
  "linux-x64-musl": "bun-linux-x64-musl",
  "linux-arm64-musl": "bun-linux-arm64-musl",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
};

const out = "dist/release";
const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(TARGETS);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const sums: string[] = [];
for (const name of names) {
  const target = TARGETS[name];
  if (!target)
    throw new Error(`Unknown target "${name}": expected one of ${Object.keys(TARGETS).join(", ")}`);
  const dir = `${out}/headroom-${name}`;
  const binary = name.startsWith("windows") ? "headroom.exe" : "headroom";
  await compileHeadroom(`${dir}/${binary}`, target);
  const archive = `headroom-${name}.tar.gz`;
  const tar = Bun.spawnSync(["tar", "-czf", `${out}/${archive}`, "-C", dir, binary]);
  if (tar.exitCode !== 0) throw new Error(`Cannot archive ${archive}: ${tar.stderr.toString()}`);
  rmSync(dir, { recursive: true, force: true });
  const digest = createHash("sha256")
    .update(readFileSync(`${out}/${archive}`))
    .digest("hex");
  sums.push(`${digest}  ${archive}`);
  console.error(`built ${archive}`);
}
writeFileSync(`${out}/SHA256SUMS`, `${sums.join("\n")}\n`);
console.error(`wrote ${out}/SHA256SUMS for ${sums.length} archives`);
