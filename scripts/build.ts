/**
 * `npm run build`: rebuilds the dashboard page from its sources, then compiles dist/headroom for
 * this machine (the executable embeds the page).
 */

import { writeDashboardPage } from "./build-dashboard.ts";
import { compileHeadroom } from "./compile.ts";

const started = performance.now();
if (await writeDashboardPage()) console.error("rebuilt src/dashboard/index.html");
await compileHeadroom("./dist/headroom");
const size = Bun.file("./dist/headroom").size;
console.error(
  `built dist/headroom (${(size / 1024 / 1024).toFixed(1)} MiB) in ${Math.round(performance.now() - started)} ms`,
);
