/**
 * `npm run build`: rebuilds the dashboard page from its sources, then compiles dist/headroom for
 * this machine (the executable embeds the page).
 */

import { writeDashboardPage } from "./build-dashboard.ts";
import { compileHeadroom } from "./compile.ts";

// Windows runs only files named .exe (CI builds and self-tests there too).
const outfile = process.platform === "win32" ? "dist/headroom.exe" : "dist/headroom";
const started = performance.now();
if (await writeDashboardPage()) console.error("rebuilt src/dashboard/index.html");
await compileHeadroom(`./${outfile}`);
const size = Bun.file(`./${outfile}`).size;
console.error(
  `built ${outfile} (${(size / 1024 / 1024).toFixed(1)} MiB) in ${Math.round(performance.now() - started)} ms`,
);
