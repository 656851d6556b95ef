/**
 * How many relayed WebSockets are open right now, for /health.
 * @module
 */

/** A live count of open relayed sockets. */
export class SocketCount {
  #active = 0;

  get active(): number {
    return this.#active;
  }

  /** Counts a socket in; the returned function counts it out, once however often it is called. */
  opened(): () => void {
    this.#active++;
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      this.#active--;
    };
  }
}
