/**
 * Cross-compiles headroom for every supported platform, one tar.gz archive per target, plus
 * SHA256SUMS. Bun fetches each target's runtime from the npm registry on first use.
 *
 *   bun run scripts/build-matrix.ts [target ...]     (into dist/matrix/)
 */

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * Targets whose executable must differ from another target's. Bun compiles in the runtime it
 * fetches for the target; the npm registry reachable where this was written serves the same
 * file for @oven/bun-linux-x64-baseline as for @oven/bun-linux-x64, so a "baseline" archive
 * would hold the AVX2 build and crash on the very CPUs install.sh gives it to.
 */
export const MUST_DIFFER: Readonly<Record<string, string>> = { "linux-x64-baseline": "linux-x64" };

/** Archive file name → SHA-256 in hex. */
export type Checksums = Map<string, string>;

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The SHA-256 of headroom compiled for `name`, compiled into a scratch directory. */
async function executableDigest(name: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-matrix-"));
  try {
    await compileHeadroom(join(dir, "headroom"), TARGETS[name]!);
    return sha256(join(dir, "headroom"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Why the executable built for `name` must not ship, or undefined: it is byte-identical to the
 * one of the target it must differ from. `executables` maps target names to SHA-256 digests.
 */
export function identicalTwin(
  name: string,
  executables: ReadonlyMap<string, string>,
): string | undefined {
  const other = MUST_DIFFER[name];
  const digest = executables.get(name);
  if (!other || digest === undefined || digest !== executables.get(other)) return undefined;
  const runtime = TARGETS[name]!.replace(/^bun-/, "@oven/bun-");
  return `refusing to ship headroom-${name}: its executable is byte-identical to headroom-${other}'s, so the runtime Bun fetched for it (npm package ${runtime}) is not a separate build and would crash on the CPUs it is meant for. Put the real ${runtime} runtime in Bun's cache and build again, or leave ${name} out of the targets.`;
}

/** The executable's file name inside target `name`'s archive (what install.ps1 unpacks on Windows). */
export function executableName(name: string): string {
  return name.startsWith("windows") ? "headroom.exe" : "headroom";
}

/** Builds `headroom-<name>.tar.gz` for each target name into `out`; writes SHA256SUMS there. */
export async function buildArchives(out: string, names: readonly string[]): Promise<Checksums> {
  mkdirSync(out, { recursive: true });
  const sums: Checksums = new Map();
  const executables = new Map<string, string>();
  for (const name of names) {
    const target = TARGETS[name];
    if (!target) {
      throw new Error(
        `Unknown target "${name}": expected one of ${Object.keys(TARGETS).join(", ")}`,
      );
    }
    const dir = `${out}/headroom-${name}`;
    const binary = executableName(name);
    await compileHeadroom(`${dir}/${binary}`, target);
    executables.set(name, sha256(`${dir}/${binary}`));
    const other = MUST_DIFFER[name];
    if (other && !executables.has(other)) executables.set(other, await executableDigest(other));
    const refusal = identicalTwin(name, executables);
    if (refusal) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(refusal);
    }
    const archive = `headroom-${name}.tar.gz`;
    const tar = Bun.spawnSync(["tar", "-czf", `${out}/${archive}`, "-C", dir, binary]);
    if (tar.exitCode !== 0) throw new Error(`Cannot archive ${archive}: ${tar.stderr.toString()}`);
    rmSync(dir, { recursive: true, force: true });
    sums.set(archive, sha256(`${out}/${archive}`));
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
  try {
    const sums = await buildArchives(out, wanted.length ? wanted : Object.keys(TARGETS));
    console.error(`wrote ${out}/SHA256SUMS for ${sums.size} archives`);
  } catch (error) {
    console.error(`build-matrix: ${(error as Error).message}`);
    process.exit(1);
  }
}
