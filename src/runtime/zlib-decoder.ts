/**
 * Request-body decoding with node:zlib (available in Bun and Deno): gzip, deflate, br and zstd,
 * each bounded so a small compressed body cannot inflate past the body limit.
 * @module
 */

import zlib from "node:zlib";
import type { BodyDecoder } from "../core/body.ts";

/** Decodes one content-coding; throws on corrupt input, unknown codings or overflow. */
export const zlibDecoder: BodyDecoder = (bytes, encoding, maxBytes) => {
  const options = { maxOutputLength: maxBytes };
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(bytes, options);
    case "deflate":
      // Some clients send raw deflate under this name; zlib-wrapped is the standard.
      try {
        return zlib.inflateSync(bytes, options);
      } catch {
        return zlib.inflateRawSync(bytes, options);
      }
    case "br":
      return zlib.brotliDecompressSync(bytes, options);
    case "zstd":
      return zlib.zstdDecompressSync(bytes, options);
    default:
      throw new Error(`unsupported content-encoding "${encoding}"`);
  }
};
