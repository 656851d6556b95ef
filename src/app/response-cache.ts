/**
 * Where the entry points (src/cli/proxy-command.ts, src/runtime/deno-main.ts) import the response
 * cache from; it lives with the pipeline that reads it. Kept only until those imports move.
 * @module
 */

export { ResponseCache } from "../pipeline/response-cache.ts";
