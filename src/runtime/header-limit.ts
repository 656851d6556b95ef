/**
 * The size limit on a request's header block. Bun's own parser refuses a block over its limit
 * (16 KiB by default) with a bare 431 that no handler sees: the client gets an empty body, and
 * the proxy neither logs nor counts it. The executable therefore starts Bun with a far larger
 * parser limit, and the server applies headroom's limit itself, answering in the provider's
 * error shape through the same log line and ledger row as every other refused request.
 * @module
 */

/** headroom's limit on a request's header block: what Bun and Node.js accept by default. */
export const MAX_REQUEST_HEADER_BYTES = 16 * 1024;

/**
 * Bun's parser limit, set when the process starts (scripts/compile.ts, the re-run in
 * src/cli/max-http-requests.ts). Blocks between the two limits get headroom's answer; only a
 * block over this one still gets Bun's bare 431.
 */
const PARSER_HEADER_BYTES = 256 * 1024;

/** The runtime flag that sets {@link PARSER_HEADER_BYTES}. */
export const PARSER_HEADER_FLAG = `--max-http-header-size=${PARSER_HEADER_BYTES}`;

/**
 * The bytes of `headers` as they arrived ("name: value\r\n" per field), counting no further
 * than `limit`: the size is only ever compared with it. Read through Bun's toJSON(), one native
 * call, which costs about half of iterating the headers.
 */
export function headerBlockBytes(headers: Headers, limit: number): number {
  const fields = headers.toJSON() as Record<string, string | string[]>;
  let bytes = 0;
  for (const name in fields) {
    const value = fields[name]!;
    // Only set-cookie comes as a list; a request rarely carries it.
    bytes += name.length + (typeof value === "string" ? value.length : value.join(", ").length) + 4;
    if (bytes > limit) return bytes;
  }
  return bytes;
}
