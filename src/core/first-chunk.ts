/**
 * Waits for the first chunk of an upstream body before the client's response is handed over.
 * Bun sends a response's status line only together with its first body chunk anyway, so this
 * costs the client nothing, and it turns a failure before any byte (a reset, a corrupt
 * content-encoding, silence past the read timeout) into a clean error answer instead of a
 * dropped connection or a 200 that carries nothing but an error.
 * @module
 */

import { armDeadline } from "./deadlines.ts";

/** What the relay needs of an upstream body's reader. */
export interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
}

/** The body's first chunk (null when the body was empty) and the reader for the rest, or why no byte came. */
export type FirstChunk =
  | {
      readonly ok: true;
      readonly chunk: Uint8Array | null;
      readonly reader: BodyReader;
    }
  | {
      readonly ok: false;
      readonly reason: "timeout" | "aborted" | "failed";
      readonly message: string;
    };

/**
 * Reads the first chunk of `body`, giving up (and cancelling it) after `timeoutMs` (0 = never).
 * The deadline cancels the reader, which settles the pending read: no second promise to race per
 * request.
 */
export async function awaitFirstChunk(
  body: ReadableStream<Uint8Array>,
  timeoutMs: number,
): Promise<FirstChunk> {
  const reader = body.getReader();
  let timedOut = false;
  const deadline =
    timeoutMs > 0
      ? armDeadline(timeoutMs, () => {
          timedOut = true;
          reader.cancel(new Error("timeout")).catch(() => {});
        })
      : undefined;
  let first: Awaited<ReturnType<typeof reader.read>>;
  try {
    first = await reader.read();
  } catch (error) {
    if (!timedOut) {
      reader.cancel().catch(() => {});
      const message = (error as Error)?.message ?? String(error);
      return {
        ok: false,
        reason: (error as Error)?.name === "AbortError" ? "aborted" : "failed",
        message: `The upstream connection failed before its answer: ${message}`,
      };
    }
    first = { done: true, value: undefined };
  } finally {
    deadline?.cancel();
  }
  if (timedOut) {
    return { ok: false, reason: "timeout", message: "The upstream sent nothing for too long" };
  }
  return { ok: true, chunk: first.done ? null : first.value, reader };
}
