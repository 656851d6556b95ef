/**
 * Reading request bodies: bounded in size, decoded from their content-encoding, parsed as the
 * JSON object every generation API expects. The raw bytes are kept so an unchanged request can
 * be forwarded byte for byte.
 * @module
 */

/**
 * Decodes bytes in one content-coding (gzip, deflate, br, zstd); throws on corrupt data, on an
 * unknown coding, or when the output would exceed `maxBytes`. Runtime-specific, hence injected.
 */
export type BodyDecoder = (bytes: Uint8Array, encoding: string, maxBytes: number) => Uint8Array;

/** Why a request could not be used as sent; `status` is 400, 403 or 413. */
export class BodyProblem {
  constructor(
    readonly status: 400 | 403 | 413,
    readonly message: string,
  ) {}
}

/** A request body read in full. */
export interface RawBody {
  /** The bytes as received (still encoded when `encoding` is set). */
  readonly raw: Uint8Array;
  /** The content-coding list, lowercased, or "" for none/identity. */
  readonly encoding: string;
}

function tooLarge(limit: number): BodyProblem {
  return new BodyProblem(413, `Request body too large: the limit is ${limit} bytes`);
}

/** Reads the whole body of `request`, refusing it once it passes `limit` bytes. */
export async function readBody(request: Request, limit: number): Promise<RawBody | BodyProblem> {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return tooLarge(limit);
  const normalized = encoding === "identity" ? "" : encoding;
  if (!request.body) return { raw: new Uint8Array(0), encoding: normalized };
  if (declared !== null) {
    // With a declared length the runtime already enforces the framing: read it in one go.
    return { raw: new Uint8Array(await request.arrayBuffer()), encoding: normalized };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const raw = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    raw.set(chunk, offset);
    offset += chunk.length;
  }
  return { raw, encoding: normalized };
}

/** Undoes every content-coding of `body`, last applied first. */
export function decodeBody(
  body: RawBody,
  decoder: BodyDecoder,
  limit: number,
): Uint8Array | BodyProblem {
  if (!body.encoding) return body.raw;
  let bytes = body.raw;
  const codings = body.encoding
    .split(",")
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== "identity")
    .reverse();
  for (const coding of codings) {
    try {
      bytes = decoder(bytes, coding, limit);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (/larger than|too large|exceed|ERR_BUFFER_TOO_LARGE/i.test(message))
        return tooLarge(limit);
      return new BodyProblem(400, `Cannot decode the ${coding} request body: ${message}`);
    }
  }
  return bytes;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const utf8 = new TextDecoder();

/**
 * `bytes` as UTF-8 text; throws on invalid UTF-8. The strict decoder costs several times the
 * lenient one, so it only runs when the lenient one put in a replacement character (invalid
 * input always yields one; valid input rarely carries one).
 */
function decodeStrictly(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  return text.includes("\uFFFD") ? strictUtf8.decode(bytes) : text;
}

/** A request body parsed as the JSON object every generation API expects. */
export interface JsonBody {
  /** The decoded text, kept so edits can be spliced into it byte for byte. */
  readonly text: string;
  readonly value: Record<string, unknown>;
}

/** Parses bytes as a JSON object (the only shape the generation APIs accept). */
export function parseJsonObject(bytes: Uint8Array): JsonBody | BodyProblem {
  let text: string;
  try {
    text = decodeStrictly(bytes);
  } catch {
    return new BodyProblem(400, "Invalid request body: it is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new BodyProblem(400, `Invalid request body: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    return new BodyProblem(400, `Invalid request body: expected a JSON object, got ${kind}`);
  }
  return { text, value: value as Record<string, unknown> };
}
