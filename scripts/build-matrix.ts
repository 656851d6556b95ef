/**
 * Cross-compiles headroom for every supported platform, one tar.gz archive per target, plus
 * SHA256SUMS. Bun fetches each target's runtime from the npm registry on first use.
 *
 *   bun run scripts/build-matrix.ts [target ...]     (into dist/matrix/)
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

/** Archive file name → SHA-256 in hex. */
export type Checksums = Map<string, string>;

/** Builds `headroom-<name>.tar.gz` for each target name into `out`; writes SHA256SUMS there. */
export async function buildArchives(out: string, names: readonly string[]): Promise<Checksums> {
  mkdirSync(out, { recursive: true });
  const sums: Checksums = new Map();
  for (const name of names) {
    const target = TARGETS[name];
    if (!target) {
      throw new Error(
        `Unknown target "${name}": expected one of ${Object.keys(TARGETS).join(", ")}`,
      );
    }
    const dir = `${out}/headroom-${name}`;
    const binary = name.startsWith("windows") ? "headroom.exe" : "headroom";
    await compileHeadroom(`${dir}/${binary}`, target);
    const archive = `headroom-${name}.tar.gz`;
    const tar = Bun.spawnSync(["tar", "-czf", `${out}/${archive}`, "-C", dir, binary]);
    if (tar.exitCode !== 0) throw new Error(`Cannot archive ${archive}: ${tar.stderr.toString()}`);
    rmSync(dir, { recursive: true, force: true });
    sums.set(
      archive,
      createHash("sha256")
        .update(readFileSync(`${out}/${archive}`))
        .digest("hex"),
    );
    console.error(`built ${archive}`);
  }
  const lines = [...sums].map(([archive, digest]) => `${digest}  ${archive}`);
  writeFileSync(`${out}/SHA256SUMS`, `${lines.join("\n")}\n`);
  return sums;
}

if (import.meta.main) {
  const wanted = process.argv.slice(2);
  const out = "dist/matrix";
  rmSync(out, { recursive: true, force: true });
  const sums = await buildArchives(out, wanted.length ? wanted : Object.keys(TARGETS));
  console.error(`wrote ${out}/SHA256SUMS for ${sums.size} archives`);
}
