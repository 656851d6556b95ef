/**
 * The one connection a replica keeps to the Redis its team shares (`HEADROOM_REDIS_URL`), through
 * Bun's native client. Every call has a deadline: a Redis that is down, slow or restarting
 * rejects within `timeoutMs` and never holds a request longer. Commands are never queued while
 * disconnected (they fail at once and the stores' guards take over); a dropped connection is
 * re-opened by the next call.
 * @module
 */

import { RedisClient } from "bun";

/** The longest any single Redis call may take before it counts as failed. */
const REDIS_TIMEOUT_MS = 250;

/** Thrown when Redis did not answer in time. */
class RedisTimeoutError extends Error {
  override readonly name = "RedisTimeoutError";
  readonly code = "ETIMEDOUT";
  constructor(command: string, ms: number) {
    super(`Redis did not answer ${command} within ${ms} ms`);
  }
}

/** A deadline-bound Redis connection; every key it touches starts with `prefix`. */
export class RedisLink {
  readonly #client: RedisClient;
  #connecting: Promise<void> | undefined;

  constructor(
    readonly url: string,
    readonly timeoutMs = REDIS_TIMEOUT_MS,
    readonly prefix = "headroom:",
  ) {
    this.#client = new RedisClient(url, {
      enableOfflineQueue: false,
      connectionTimeout: Math.max(timeoutMs, 1_000),
      autoReconnect: true,
      maxRetries: 0xffff_ffff,
    });
  }

  /** Sends one command; rejects on an error reply, a lost connection or the deadline. */
  send(command: string, args: string[]): Promise<unknown> {
    return this.#withDeadline(command, async () => {
      if (!this.#client.connected) await this.#connect();
      return this.#client.send(command, args);
    });
  }

  /** The full key for `kind` and `id`. */
  key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  close(): void {
    this.#client.close();
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#client.connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #withDeadline<T>(command: string, call: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RedisTimeoutError(command, this.timeoutMs)),
        this.timeoutMs,
      );
    });
    return Promise.race([call(), deadline]).finally(() => clearTimeout(timer));
  }
}
