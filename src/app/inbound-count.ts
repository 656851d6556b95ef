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

  /**
   * Counts the request in, runs `answer`, and counts it answered once the response exists. One
   * `then` rather than an async wrapper: this runs on every request, the hot path included.
   */
  track(answer: () => Response | Promise<Response>): Response | Promise<Response> {
    this.#received++;
    const answered = () => {
      this.#answered++;
    };
    let result: Response | Promise<Response>;
    try {
      result = answer();
    } catch (error) {
      answered();
      throw error;
    }
    if (!(result instanceof Promise)) {
      answered();
      return result;
    }
    return result.then(
      (response) => {
        answered();
        return response;
      },
      (error: unknown) => {
        answered();
        throw error;
      },
    );
  }

  figures(): Omit<InboundFigures, "webSockets"> {
    return {
      received: this.#received,
      answered: this.#answered,
      active: this.#received - this.#answered,
    };
  }
}
