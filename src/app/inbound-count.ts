/**
 * Counts every HTTP request the app receives and answers, whatever the route: the original's
 * inbound-request figures in /metrics.
 * @module
 */

import type { InboundFigures } from "../stats/prometheus-original.ts";

/** Running counts of received and answered requests. */
export class InboundCount {
  #received = 0;
  #answered = 0;

  /** Counts the request in, runs `answer`, and counts it answered once the response exists. */
  async track(answer: () => Response | Promise<Response>): Promise<Response> {
    this.#received++;
    try {
      return await answer();
    } finally {
      this.#answered++;
    }
  }

  figures(): Omit<InboundFigures, "webSockets"> {
    return {
      received: this.#received,
      answered: this.#answered,
      active: this.#received - this.#answered,
    };
  }
}
