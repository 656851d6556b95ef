/**
 * Files embedded into the executable. This is the only module that imports the dashboard page;
 * `bun build --compile` inlines it as a string. The page is built from src/dashboard/page.html
 * and the TypeScript beside it by scripts/build-dashboard.ts.
 * @module
 */

import page from "./dashboard/index.html" with { type: "text" };

/** The dashboard page (bun-types declares *.html as an HTML bundle; a text import is a string). */
export const dashboardHtml: string = page as unknown as string;
