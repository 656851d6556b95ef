/**
 * Files embedded into the executable. This is the only module that imports the dashboard page;
 * `bun build --compile` inlines it as a string.
 * @module
 */

import page from "./dashboard/index.html" with { type: "text" };

/** The dashboard page (bun-types declares *.html as an HTML bundle; a text import is a string). */
export const dashboardHtml: string = page as unknown as string;
