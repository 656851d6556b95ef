/**
 * The README's first steps, as a new user follows them: every command they copy works in the
 * order it is given, on the Node version the README states.
 */

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
/** The README up to its first section after the quick start. */
const FIRST_STEPS = README.slice(0, README.indexOf("\n## What it serves"));

test("a shell block that runs dist/headroom first builds it", () => {
  const blocks = [...FIRST_STEPS.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const users = blocks.filter((block) => /^dist\/headroom /m.test(block));
  expect(users.length).toBeGreaterThan(0);
  for (const block of users) {
    const lines = block.split("\n");
    const firstUse = lines.findIndex((line) => line.startsWith("dist/headroom "));
    const build = lines.findIndex((line) => /^npm (run build|test)\b/.test(line));
    expect({ block, builtFirst: build >= 0 && build < firstUse }).toEqual({
      block,
      builtFirst: true,
    });
  }
});

interface LockEntry {
  readonly engines?: { readonly node?: string };
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
}

/** npm skips (and never engine-checks) a platform package built for another OS or CPU. */
function installsHere(entry: LockEntry): boolean {
  const fits = (list: readonly string[] | undefined, value: string) =>
    !list || list.some((item) => (item.startsWith("!") ? item.slice(1) !== value : item === value));
  return fits(entry.os, process.platform) && fits(entry.cpu, process.arch);
}

test("the Node version the README states is one every package npm installs here accepts", () => {
  const stated = FIRST_STEPS.match(/Node\.js (\d+) or later/)?.[1];
  expect(stated).toBeDefined();
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  expect(pkg.engines.node).toBe(`>=${stated}`);
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
  const refusing = Object.entries(lock.packages as Record<string, LockEntry>)
    .filter(([, entry]) => installsHere(entry))
    .filter(([, entry]) => typeof entry.engines?.node === "string")
    .filter(([, entry]) => !Bun.semver.satisfies(`${stated}.0.0`, entry.engines!.node!))
    .map(([path, entry]) => `${path} wants node ${entry.engines!.node}`);
  expect(refusing).toEqual([]);
});

test("the README's test command is the one CI runs", () => {
  const block = FIRST_STEPS.match(/## Two commands[\s\S]*?```sh\n([\s\S]*?)```/)?.[1] ?? "";
  const testLine = block.split("\n").find((line) => /\bnpm test\b/.test(line)) ?? "";
  const command = testLine.replace(/#.*/, "").trim();
  // CI installs with npm ci first, then runs the rest of the README's line.
  expect(command.startsWith("npm ci && ")).toBe(true);
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  expect(ci).toContain(`{ ${command.slice("npm ci && ".length)}; }`);
});

interface LockedPackage {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

test("the lock file holds every package its packages ask for, so npm ci accepts it", () => {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
  const packages = lock.packages as Record<string, LockedPackage>;
  // Node's lookup: the package's own node_modules, then each enclosing one up to the root's.
  const resolves = (from: string, name: string): boolean => {
    let dir = from;
    for (;;) {
      if (Object.hasOwn(packages, `${dir ? `${dir}/` : ""}node_modules/${name}`)) return true;
      if (!dir) return false;
      const up = dir.lastIndexOf("/node_modules/");
      dir = up < 0 ? "" : dir.slice(0, up);
    }
  };
  const missing = Object.entries(packages).flatMap(([path, entry]) =>
    Object.keys({
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...(path === "" ? entry.devDependencies : {}),
    })
      .filter((name) => !resolves(path, name))
      .map((name) => `${path || "(root)"} needs ${name}`),
  );
  expect(missing).toEqual([]);
});
