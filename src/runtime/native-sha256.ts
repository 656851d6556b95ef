/**
 * SHA-256 through node:crypto, which Bun and Deno implement natively: about 18 times faster than
 * the portable TypeScript one, and the router hashes every tool output of every request.
 * @module
 */

import { createHash } from "node:crypto";

/** SHA-256 of `text`'s UTF-8 bytes as 64 lowercase hex digits. */
export function nativeSha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
