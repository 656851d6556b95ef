/**
 * Timeouts that share one timer. Every request arms the same upstream timeout, for the headers
 * and again for the first body chunk, so deadlines of one length come due in the order they
 * were armed: a queue with a single timer for its oldest live deadline replaces a setTimeout and
 * a clearTimeout per wait, which were a measurable part of each request's CPU.
 * @module
 */

/** An armed deadline. `cancel` stops it from firing; cancelling twice, or after it fired, is harmless. */
export interface Deadline {
  cancel(): void;
}

class Entry implements Deadline {
  constructor(
    readonly due: number,
    public fire: (() => void) | undefined,
  ) {}

  cancel(): void {
    this.fire = undefined;
  }
}

// Cancelled entries left behind a slow head are dropped in one splice once this many piled up.
const COMPACT_AFTER = 1024;

/** Deadlines of one length, due in the order they were armed. */
class DeadlineQueue {
  #entries: Entry[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly ms: number) {}

  arm(fire: () => void): Deadline {
    const entry = new Entry(performance.now() + this.ms, fire);
    this.#skipCancelled();
    this.#entries.push(entry);
    if (this.#timer === undefined) this.#schedule(this.ms);
    return entry;
  }

  #skipCancelled(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.fire === undefined) this.#head++;
    if (this.#head === entries.length) {
      entries.length = 0;
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER) {
      entries.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, delay));
    // Whatever waits on a deadline (a fetch, a read) keeps the process alive by itself.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #tick(): void {
    this.#timer = undefined;
    const now = performance.now();
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const entry = entries[this.#head]!;
      if (entry.fire !== undefined && entry.due > now) break;
      this.#head++;
      const fire = entry.fire;
      entry.fire = undefined;
      try {
        fire?.();
      } catch {
        // One deadline's action failing must not keep the ones behind it from firing.
      }
    }
    this.#skipCancelled();
    if (this.#head < entries.length) this.#schedule(entries[this.#head]!.due - now);
  }
}

const queues = new Map<number, DeadlineQueue>();

/** Calls `fire` once `ms` milliseconds from now, unless the returned deadline is cancelled first. */
export function armDeadline(ms: number, fire: () => void): Deadline {
  let queue = queues.get(ms);
  if (!queue) {
    queue = new DeadlineQueue(ms);
    queues.set(ms, queue);
  }
  return queue.arm(fire);
}
