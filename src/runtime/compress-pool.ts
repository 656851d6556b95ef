/**
 * Worker threads that run compressText, and the exact token counting after it, off the event
 * loop, so one large tool output never stalls the streams the proxy relays meanwhile. One worker
 * per core, at most four; jobs wait in one queue. Token counting always goes to the first worker,
 * so the tokenizer's tables (tens of MB) are loaded once. A worker that fails is replaced a few
 * times; without one, jobs run in the calling thread, so nothing stops working because threads
 * did.
 * @module
 */

import {
  type CompressJob,
  type CompressRunner,
  compressInThread,
} from "../compress/compress-job.ts";
import { runTokenJob, type TokenAnswer, type TokenJob } from "../compress/token-job.ts";

/** Where the worker's code is: next to this file, and an entrypoint of the executable. */
const WORKER_URL = new URL("./compress-worker.ts", import.meta.url);

// Restarts per worker slot before that slot gives up (a worker that cannot even load).
const MAX_RESTARTS = 3;

type Job = { kind: "compress"; job: CompressJob } | { kind: "tokens"; job: TokenJob };

interface Queued {
  readonly id: number;
  readonly work: Job;
  readonly resolve: (result: unknown) => void;
  /** Set once answered, or once nobody waits any more (aborted): a queued job is then skipped. */
  settled: boolean;
}

interface Thread {
  worker: Worker | undefined;
  running: Queued | undefined;
  restarts: number;
}

/** How many workers suit this machine: one per core, at least one, at most four. */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.min(4, Math.floor(cores) || 1));
}

/** Options of {@link CompressPool}. */
export interface PoolOptions {
  /** How many workers (see {@link poolSize}). */
  readonly size?: number;
  /** Told when a worker cannot start or dies. */
  readonly onError?: (message: string) => void;
  /** The worker's module (tests point it elsewhere to see the fallback). */
  readonly workerUrl?: URL;
}

/** A fixed set of compression workers; see the module comment. */
export class CompressPool {
  readonly #threads: Thread[];
  readonly #queue: Queued[] = [];
  readonly #onError: (message: string) => void;
  readonly #workerUrl: URL;
  #nextId = 0;
  #closed = false;

  /** Starts the workers now, so the first request does not wait for them to load. */
  constructor(options: PoolOptions = {}) {
    this.#onError = options.onError ?? (() => {});
    this.#workerUrl = options.workerUrl ?? WORKER_URL;
    this.#threads = Array.from({ length: options.size ?? poolSize() }, () => ({
      worker: undefined,
      running: undefined,
      restarts: 0,
    }));
    for (const thread of this.#threads) this.#start(thread);
  }

  /** How many workers are alive. */
  get alive(): number {
    return this.#threads.filter((thread) => thread.worker !== undefined).length;
  }

  /** Compresses on the first free worker; a job still queued when `signal` aborts never starts. */
  readonly run: CompressRunner = (job, signal) => {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.#closed || this.alive === 0) return compressInThread(job, signal);
    return new Promise((resolve) => {
      const queued = this.#enqueue({ kind: "compress", job }, resolve as (r: unknown) => void);
      signal?.addEventListener("abort", () => this.#settle(queued, undefined), { once: true });
    });
  };

  /** Counts a request's exact tokens on the first worker (the one holding the tokenizer). */
  readonly countTokens = (job: TokenJob): Promise<TokenAnswer> => {
    if (this.#closed || !this.#threads[0]?.worker) return runTokenJob(job);
    return new Promise((resolve) => {
      this.#enqueue({ kind: "tokens", job }, resolve as (r: unknown) => void);
    });
  };

  /** Stops every worker; jobs still waiting run in the calling thread. */
  close(): void {
    this.#closed = true;
    for (const thread of this.#threads) {
      thread.worker?.terminate();
      thread.worker = undefined;
      const running = thread.running;
      thread.running = undefined;
      if (running) this.#runHere(running);
    }
    for (const queued of this.#queue.splice(0)) this.#runHere(queued);
  }

  #enqueue(work: Job, resolve: (result: unknown) => void): Queued {
    const queued: Queued = { id: this.#nextId++, work, resolve, settled: false };
    this.#queue.push(queued);
    this.#dispatch();
    return queued;
  }

  #settle(queued: Queued, result: unknown): void {
    if (queued.settled) return;
    queued.settled = true;
    queued.resolve(result);
  }

  #start(thread: Thread): void {
    let worker: Worker;
    try {
      worker = new Worker(this.#workerUrl.href, { type: "module" });
    } catch (error) {
      this.#fail(thread, `cannot start a compression worker: ${(error as Error).message}`);
      return;
    }
    // A pool of idle workers must not keep the process alive (Bun has unref; Deno does not).
    (worker as Worker & { unref?: () => void }).unref?.();
    worker.addEventListener("message", (event: MessageEvent) => {
      const answer = event.data as { id: number; result?: unknown; error?: string };
      const running = thread.running;
      if (!running || running.id !== answer.id) return;
      thread.running = undefined;
      // A job that threw in the worker is tried here (where its error is handled as usual).
      if (answer.error !== undefined) this.#runHere(running);
      else this.#settle(running, answer.result ?? undefined);
      this.#dispatch();
    });
    worker.addEventListener("error", (event: Event) => {
      event.preventDefault();
      if (thread.worker !== worker) return;
      worker.terminate();
      thread.worker = undefined;
      const message = (event as ErrorEvent).message || "unknown error";
      this.#fail(thread, `a compression worker failed: ${message}`);
    });
    thread.worker = worker;
  }

  /** A worker is gone: its job runs here, and the slot restarts while it has restarts left. */
  #fail(thread: Thread, message: string): void {
    this.#onError(message);
    const running = thread.running;
    thread.running = undefined;
    if (running) this.#runHere(running);
    if (!this.#closed && thread.restarts < MAX_RESTARTS) {
      thread.restarts++;
      this.#start(thread);
    }
    this.#dispatch();
  }

  /** Runs a job in this thread: a pool without a worker that could take it still answers. */
  #runHere(queued: Queued): void {
    if (queued.settled) return;
    const answer: Promise<unknown> =
      queued.work.kind === "compress"
        ? compressInThread(queued.work.job)
        : runTokenJob(queued.work.job);
    answer.then(
      (result) => this.#settle(queued, result),
      (error: unknown) => {
        // Token counting reports its failure to the caller; compression fails open.
        if (queued.work.kind === "tokens") {
          queued.settled = true;
          queued.resolve(Promise.reject(error));
        } else this.#settle(queued, undefined);
      },
    );
  }

  #dispatch(): void {
    this.#queue.splice(0, this.#queue.length, ...this.#queue.filter((queued) => !queued.settled));
    this.#threads.forEach((thread, index) => {
      if (!thread.worker || thread.running) return;
      // Token jobs wait for the first worker; compression jobs take any.
      const at = this.#queue.findIndex((queued) => index === 0 || queued.work.kind === "compress");
      if (at < 0) return;
      const [next] = this.#queue.splice(at, 1);
      thread.running = next;
      thread.worker.postMessage({ id: next!.id, kind: next!.work.kind, job: next!.work.job });
    });
    // Jobs no live worker can take (all gone, or only the token worker) run here.
    const first = this.#threads[0]?.worker;
    if (this.alive === 0 || !first) {
      for (const queued of [...this.#queue]) {
        if (this.alive === 0 || queued.work.kind === "tokens") {
          this.#queue.splice(this.#queue.indexOf(queued), 1);
          this.#runHere(queued);
        }
      }
    }
  }
}
