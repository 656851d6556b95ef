/**
 * Recognises files whose diff a reader almost never needs line by line: dependency lock files,
 * minified bundles and source maps.
 * @module
 */

const LOCK_FILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
  "cargo.lock",
  "gemfile.lock",
  "poetry.lock",
  "pipfile.lock",
  "composer.lock",
  "go.sum",
  "mix.lock",
  "pubspec.lock",
  "podfile.lock",
  "packages.lock.json",
  "flake.lock",
  "uv.lock",
  "gradle.lockfile",
  "deno.lock",
]);

const GENERATED_SUFFIXES = [".min.js", ".min.css", ".min.mjs", ".js.map", ".css.map", ".mjs.map"];

/** Whether `path` names a lock file or a minified/generated artifact. */
export function isGeneratedPath(path: string): boolean {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  if (LOCK_FILES.has(base)) return true;
  return GENERATED_SUFFIXES.some((suffix) => base.endsWith(suffix));
}
