/**
 * `npm run build:dashboard`: bundles the dashboard's TypeScript (src/dashboard/main.ts and what it
 * imports) for the browser and writes src/dashboard/index.html, the markup of page.html with the
 * script inline in place of its `<script src="./main.ts">`. One self-contained page: the
 * dashboard's Content-Security-Policy admits inline script only.
 *
 * index.html is committed so that every entry serves the same page without a build step (the
 * Deno entry reads it from the source tree; the executable and the tests import it as text).
 * With `--check` (part of `npm run check`) nothing is written: it fails when index.html is not
 * what the sources give.
 */

import { join, relative, resolve } from "node:path";

const REPO = join(import.meta.dir, "..");
const DIR = join(REPO, "src", "dashboard");
const PAGE = join(DIR, "page.html");
const OUT = join(DIR, "index.html");
const SCRIPT_TAG = '<script src="./main.ts"></script>';
const NOTICE =
  "<!-- Built by scripts/build-dashboard.ts from page.html and the *.ts beside it: edit those, then run npm run build:dashboard. -->";

/** The script, bundled into one classic (non-module) script. */
async function bundle(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(DIR, "main.ts")],
    target: "browser",
    format: "iife",
    minify: false,
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error("cannot bundle src/dashboard/main.ts");
  }
  // Bun names each module in a comment relative to the working directory: made relative to the
  // repository, so the page is the same wherever this runs from.
  const js = (await result.outputs[0]!.text()).replace(
    /^(\s*)\/\/ (\S+\.ts)$/gm,
    (_, indent: string, path: string) => `${indent}// ${relative(REPO, resolve(path))}`,
  );
  // The HTML parser ends a script at the first "</script", even inside a string.
  if (/<\/script/i.test(js)) throw new Error("the dashboard's script contains </script");
  return js;
}

/** The page index.html must hold. */
export async function dashboardPage(): Promise<string> {
  const page = await Bun.file(PAGE).text();
  const parts = page.split(SCRIPT_TAG);
  if (parts.length !== 2) throw new Error(`page.html must hold ${SCRIPT_TAG} once`);
  const [doctype, ...rest] = parts[0]!.split("\n");
  const head = [doctype, NOTICE, ...rest].join("\n");
  return `${head}<script>\n${await bundle()}</script>${parts[1]}`;
}

/** Writes index.html; returns false when it already held the page. */
export async function writeDashboardPage(): Promise<boolean> {
  const page = await dashboardPage();
  const file = Bun.file(OUT);
  if ((await file.exists()) && (await file.text()) === page) return false;
  await Bun.write(OUT, page);
  return true;
}

if (import.meta.main) {
  if (process.argv.includes("--check")) {
    const current = await Bun.file(OUT).text();
    if (current !== (await dashboardPage())) {
      console.error(
        "src/dashboard/index.html is not built from the current sources: run npm run build:dashboard",
      );
      process.exit(1);
    }
  } else {
    const changed = await writeDashboardPage();
    console.error(`src/dashboard/index.html ${changed ? "written" : "unchanged"}`);
  }
}
