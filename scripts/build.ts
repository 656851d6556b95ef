/**
 * `npm run build`: compiles dist/headroom for this machine.
 */

import { compileHeadroom } from "./compile.ts";

const started = performance.now();
await compileHeadroom("./dist/headroom");
const size = Bun.file("./dist/headroom").size;
console.error(
  `built dist/headroom (${(size / 1024 / 1024).toFixed(1)} MiB) in ${Math.round(performance.now() - started)} ms`,
);
