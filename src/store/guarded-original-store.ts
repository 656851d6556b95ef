/**
 * The original store behind a guard: failures are recorded on its {@link StoreStatus}, a failing
 * lane backs off, and a lookup that cannot be answered says "unavailable" instead of throwing.
 * `put` still throws: the caller must know the original was not kept, so that it never sends a
 * marker the model cannot redeem (see src/pipeline/secure-originals.ts).
 * @module
 */

import type {
  OriginalInput,
  OriginalMiss,
  OriginalStore,
  OriginalStoreStats,
  StoredOriginal,
} from "../ccr/original-store.ts";
import { errorCode, type StoreReport, StoreStatus, StoreUnavailableError } from "./store-status.ts";

/** A guarded original store. */
export class GuardedOriginalStore implements OriginalStore {
  constructor(
    readonly inner: OriginalStore,
    readonly status = new StoreStatus("originals"),
  ) {}

  get ttlSeconds(): number {
    return this.inner.ttlSeconds;
  }

  /** True when a put would be attempted now (lossy compression is only worth trying then). */
  writable(): boolean {
    return this.status.allows("write");
  }

  put(entry: OriginalInput): void {
    if (!this.status.allows("write")) {
      this.status.skip("write");
      throw new StoreUnavailableError(this.status.name, this.status.lastCode);
    }
    try {
      this.inner.put(entry);
    } catch (error) {
      this.status.failed("write", error);
      throw error;
    }
    this.status.succeeded("write");
  }

  get(hash: string): StoredOriginal | OriginalMiss {
    if (!this.status.allows("read")) {
      this.status.skip("read");
      return { status: "unavailable", code: this.status.lastCode };
    }
    try {
      const entry = this.inner.get(hash);
      this.status.succeeded("read");
      return entry;
    } catch (error) {
      this.status.failed("read", error);
      return { status: "unavailable", code: errorCode(error) };
    }
  }

  purgeExpired(): number {
    if (!this.status.allows("write")) return 0;
    try {
      const removed = this.inner.purgeExpired();
      this.status.succeeded("write");
      return removed;
    } catch (error) {
      this.status.failed("write", error);
      return 0;
    }
  }

  stats(): OriginalStoreStats {
    return this.inner.stats();
  }

  report(): StoreReport {
    return this.status.report();
  }
}
