/**
 * Relays an upstream body to the client chunk by chunk, unchanged, while tapping it on the side:
 * counting bytes, timing the first byte, parsing SSE events, and ending a stream that falls
 * silent for too long with the API's own mid-stream error. Runs its accounting exactly once,
 * whether the body completes, fails, times out or the client goes away.
 * @module
 */

import type { Api } from "./api.ts";
import { midStreamError } from "./errors.ts";
import type { BodyReader } from "./first-chunk.ts";
import { type SseEvent, SseParser } from "./sse.ts";

/** How a relayed body ended. */
export type RelayEnd = "complete" | "aborted" | "upstream_error" | "timeout";

/** What the relay reports when it ends. */
export interface RelayOutcome {
  readonly end: RelayEnd;
  readonly bytes: number;
  /** The bytes collected for parsing when `collectLimit` was set and not exceeded. */
  readonly collected?: Uint8Array;
  readonly error?: string;
}

/** Options of {@link relayBody}. */
export interface RelayOptions {
  /**
   * When set, the body is read as SSE: its events go to `onEvent`, and a failure or timeout is
   * written into the stream in this API's error form. Otherwise a failure aborts the body.
   */
  readonly sseApi?: Api;
  /** Longest silence tolerated between chunks, in milliseconds (0 = none). */
  readonly idleTimeoutMs: number;
  /** Collect up to this many bytes for parsing at the end (0 = collect nothing). */
  readonly collectLimit?: number;
  onFirstByte?(): void;
  onEvent?(event: SseEvent): void;
  onEnd(outcome: RelayOutcome): void;
}

const encoder = new TextEncoder();

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Hands the upstream's body to the client: `first` (its first chunk, already read) and then
 * whatever `reader` yields. A body whose announced length (`length`) arrived whole in the first
 * chunk, and that is not SSE, is handed over as bytes: Bun sends those natively, far cheaper
 * than a stream pulled through JavaScript, and its accounting runs once the reader confirms the
 * end.
 */
export function relayBody(
  first: Uint8Array,
  reader: BodyReader,
  options: RelayOptions & { readonly length?: number },
): ReadableStream<Uint8Array> | Uint8Array {
  if (!options.sseApi && options.length === first.length) return relayWhole(first, reader, options);
  return relayStream(first, reader, options);
}

/**
 * A body that arrived whole in its first chunk: handed over as bytes, its accounting run once
 * the reader confirms the end. Reading on releases the upstream connection; anything but a
 * clean end is not the client's concern any more: it has every byte the length announced (bytes
 * past it, from an upstream that miscounted, are dropped with the connection). Kept apart from
 * the stream so the usual answer pays for none of the stream's state.
 */
function relayWhole(first: Uint8Array, reader: BodyReader, options: RelayOptions): Uint8Array {
  options.onFirstByte?.();
  const collectLimit = options.collectLimit ?? 0;
  const outcome: RelayOutcome =
    collectLimit > 0 && first.length <= collectLimit
      ? { end: "complete", bytes: first.length, collected: first }
      : { end: "complete", bytes: first.length };
  reader.read().then(
    (next) => {
      if (!next.done) reader.cancel().catch(() => {});
      options.onEnd(outcome);
    },
    () => options.onEnd(outcome),
  );
  return first;
}

/** A body relayed chunk by chunk, tapped on the way. */
function relayStream(
  first: Uint8Array,
  reader: BodyReader,
  options: RelayOptions,
): ReadableStream<Uint8Array> {
  const parser = options.sseApi ? new SseParser() : undefined;
  const collectLimit = options.collectLimit ?? 0;
  let collected: Uint8Array[] | undefined = collectLimit > 0 ? [] : undefined;
  let bytes = 0;
  let settled = false;
  let timedOut = false;
  let lastActivity = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const onEvent = (event: SseEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A faulty tap must never break the client's stream.
    }
  };

  function settle(end: RelayEnd, error?: string): void {
    if (settled) return;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    const outcome: RelayOutcome = {
      end,
      bytes,
      ...(collected ? { collected: concat(collected, bytes) } : {}),
      ...(error ? { error } : {}),
    };
    options.onEnd(outcome);
  }

  function watch(): void {
    if (options.idleTimeoutMs <= 0) return;
    const idle = performance.now() - lastActivity;
    if (idle >= options.idleTimeoutMs) {
      timedOut = true;
      reader.cancel(new Error("upstream read timeout")).catch(() => {});
      return;
    }
    timer = setTimeout(watch, options.idleTimeoutMs - idle);
  }

  function fail(
    controller: ReadableStreamDefaultController<Uint8Array>,
    end: RelayEnd,
    message: string,
  ): void {
    if (options.sseApi) {
      const tail = (parser?.terminator() ?? "") + midStreamError(options.sseApi, message);
      controller.enqueue(encoder.encode(tail));
      controller.close();
    } else {
      // Reset the client's connection so a cut body never looks complete. No reason is given:
      // Bun prints an errored body's reason to stderr, which would break the JSON log lines,
      // and the message is recorded on the exchange anyway.
      controller.error();
    }
    settle(end, message);
  }

  /** Counts, times, collects and parses one chunk on its way to the client. */
  function tap(chunk: Uint8Array): Uint8Array {
    lastActivity = performance.now();
    if (bytes === 0) options.onFirstByte?.();
    bytes += chunk.length;
    if (collected) {
      if (bytes <= collectLimit) collected.push(chunk);
      else collected = undefined;
    }
    if (parser) {
      try {
        parser.push(chunk, onEvent);
      } catch {
        // The parser only observes; relaying goes on regardless.
      }
    }
    return chunk;
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (options.idleTimeoutMs > 0) timer = setTimeout(watch, options.idleTimeoutMs);
      controller.enqueue(tap(first));
    },
    async pull(controller) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        if (settled) return;
        const message = timedOut
          ? "The upstream sent nothing for too long"
          : `The upstream connection failed mid-stream: ${(error as Error)?.message ?? String(error)}`;
        fail(controller, timedOut ? "timeout" : "upstream_error", message);
        return;
      }
      if (settled) return;
      if (timedOut) {
        fail(controller, "timeout", "The upstream sent nothing for too long");
        return;
      }
      if (result.done || !result.value) {
        parser?.end(onEvent);
        controller.close();
        settle("complete");
        return;
      }
      controller.enqueue(tap(result.value));
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => {});
      settle("aborted");
    },
  });
}
