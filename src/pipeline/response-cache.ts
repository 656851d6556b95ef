/**
 * The response cache (off by default; on with --cache): an exact-match cache of complete,
 * successful answers, streamed or not, bounded by time to live and total bytes (least recently
 * used out first). A stream is replayed byte for byte as it was recorded.
 * @module
 */

/** One cached answer. */
interface Entry {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Uint8Array;
  readonly storedAt: number;
}

/** What /stats reports about the cache. */
export interface ResponseCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly ttlSeconds: number;
  readonly hits: number;
  readonly misses: number;
  readonly stores: number;
}

/** An in-memory exact-match response cache. */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  hits = 0;
  misses = 0;
  stores = 0;

  constructor(
    readonly ttlSeconds: number,
    readonly maxBytes: number,
    readonly now: () => number = Date.now,
  ) {}

  /** The cached answer for `key` as a fresh Response, or undefined. */
  get(key: string): Response | undefined {
    const entry = this.#entries.get(key);
    if (!entry || this.now() - entry.storedAt > this.ttlSeconds * 1000) {
      if (entry) this.#drop(key, entry);
      this.misses++;
      return undefined;
    }
    // Refresh its recency.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.hits++;
    const headers = new Headers(entry.headers);
    headers.set("x-headroom-cache", "hit");
    // The original Headroom's name for an answer that cost no upstream tokens.
    headers.set("x-headroom-cached", "true");
    return new Response(entry.body, { status: entry.status, headers });
  }

  /** Stores a complete answer; entries larger than an eighth of the cache are not kept. */
  set(key: string, status: number, headers: Headers, body: Uint8Array): void {
    if (body.length > this.maxBytes / 8) return;
    const existing = this.#entries.get(key);
    if (existing) this.#drop(key, existing);
    const kept: [string, string][] = [];
    for (const [name, value] of headers) if (name !== "set-cookie") kept.push([name, value]);
    this.#entries.set(key, { status, headers: kept, body, storedAt: this.now() });
    this.#bytes += body.length;
    this.stores++;
    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#drop(oldestKey, oldest);
    }
  }

  /** Empties the cache; returns how many entries went. */
  clear(): number {
    const count = this.#entries.size;
    this.#entries.clear();
    this.#bytes = 0;
    return count;
  }

  stats(): ResponseCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      maxBytes: this.maxBytes,
      ttlSeconds: this.ttlSeconds,
      hits: this.hits,
      misses: this.misses,
      stores: this.stores,
    };
  }

  #drop(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}

/**
 * Wraps a response so that, once its body has been read to the end, `onComplete` gets the full
 * bytes (unless they passed `limit`, or the client went away first).
 */
export function captureBody(
  response: Response,
  limit: number,
  onComplete: (body: Uint8Array) => void,
): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  let chunks: Uint8Array[] | undefined = [];
  let size = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        if (chunks) {
          const all = new Uint8Array(size);
          let offset = 0;
          for (const chunk of chunks) {
            all.set(chunk, offset);
            offset += chunk.length;
          }
          onComplete(all);
        }
        return;
      }
      size += value.length;
      if (chunks && size <= limit) chunks.push(value);
      else chunks = undefined;
      controller.enqueue(value);
    },
    cancel(reason) {
      chunks = undefined;
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
