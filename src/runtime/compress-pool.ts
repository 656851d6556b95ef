/**
 * Worker threads that run compressText, and the exact token counting after it, off the event
 * loop, so one large tool output never stalls the streams the proxy relays meanwhile. Up to one
 * worker per core, at most four, each started when a job first finds no idle worker (an idle
 * proxy keeps its memory: every worker costs about 5 MB); jobs wait in one queue. Token counting
 * always goes to the first worker, so the tokenizer's tables (tens of MB) are loaded once. A
 * worker that fails is replaced a few times; a job no worker can take runs in the calling thread,
 * so nothing stops working because threads did.
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
  /** Failed starts and deaths so far. */
  failures: number;
}

/** How many workers suit this machine: one per core, at least one, at most four. */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.min(4, Math.floor(cores) || 1));
}

/** Options of {@link CompressPool}. */
export interface PoolOptions {
  /** The most workers it starts (see {@link poolSize}). */
  readonly size?: number;
  /** Told when a worker cannot start or dies. */
  readonly onError?: (message: string) => void;
  /** The worker's module (tests point it elsewhere to see the fallback). */
  readonly workerUrl?: URL;
}

/** A bounded set of compression workers; see the module comment. */
export class CompressPool {
  readonly #threads: Thread[];
  readonly #queue: Queued[] = [];
  readonly #onError: (message: string) => void;
  readonly #workerUrl: URL;
  #nextId = 0;
  #closed = false;

  constructor(options: PoolOptions = {}) {
    this.#onError = options.onError ?? (() => {});
    this.#workerUrl = options.workerUrl ?? WORKER_URL;
    this.#threads = Array.from({ length: options.size ?? poolSize() }, () => ({
      worker: undefined,
      running: undefined,
      failures: 0,
    }));
  }

  /** How many workers are running now. */
  get alive(): number {
    return this.#threads.filter((thread) => thread.worker !== undefined).length;
  }

  /** Compresses on the first free worker; a job still queued when `signal` aborts never starts. */
  readonly run: CompressRunner = (job, signal) => {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const queued = this.#enqueue({ kind: "compress", job }, resolve as (r: unknown) => void);
      signal?.addEventListener("abort", () => this.#settle(queued, undefined), { once: true });
    });
  };

  /** Counts a request's exact tokens on the first worker (the one holding the tokenizer). */
  readonly countTokens = (job: TokenJob): Promise<TokenAnswer> =>
    new Promise((resolve) => {
      this.#enqueue({ kind: "tokens", job }, resolve as (r: unknown) => void);
    });

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

  /** Whether the slot may still run workers. */
  #usable(thread: Thread): boolean {
    return !this.#closed && thread.failures <= MAX_RESTARTS;
  }

  #start(thread: Thread): void {
    let worker: Worker;
    try {
      worker = new Worker(this.#workerUrl.href, { type: "module" });
    } catch (error) {
      thread.failures++;
      this.#onError(`cannot start a compression worker: ${(error as Error).message}`);
      return;
    }
    // Idle workers must not keep the process alive (Bun has unref; Deno does not).
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
      thread.failures++;
      this.#onError(`a compression worker failed: ${(event as ErrorEvent).message || "unknown"}`);
      // Its job runs here; the slot starts a new worker when the next job needs one.
      const running = thread.running;
      thread.running = undefined;
      if (running) this.#runHere(running);
      this.#dispatch();
    });
    thread.worker = worker;
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
    for (let at = this.#queue.length - 1; at >= 0; at--) {
      if (this.#queue[at]!.settled) this.#queue.splice(at, 1);
    }
    this.#threads.forEach((thread, index) => {
      if (thread.running) return;
      // Token jobs wait for the first worker; compression jobs take any.
      const at = this.#queue.findIndex((queued) => index === 0 || queued.work.kind === "compress");
      if (at < 0) return;
      while (!thread.worker && this.#usable(thread)) this.#start(thread);
      if (!thread.worker) return;
      const [next] = this.#queue.splice(at, 1);
      thread.running = next;
      thread.worker.postMessage({ id: next!.id, kind: next!.work.kind, job: next!.work.job });
    });
    // Jobs that no slot will ever take (every slot gave up; for tokens, the first) run here.
    const first = this.#threads[0];
    const anyUsable = this.#threads.some((thread) => this.#usable(thread));
    for (const queued of [...this.#queue]) {
      const takeable = queued.work.kind === "compress" ? anyUsable : first && this.#usable(first);
      if (takeable) continue;
      this.#queue.splice(this.#queue.indexOf(queued), 1);
      this.#runHere(queued);
    }
  }
}
