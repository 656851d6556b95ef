/**
 * A count of the JSON compressor's basic steps (values read, nodes rewritten or written, items and
 * cells examined, comparisons made), so tests can check that the work grows in step with the
 * input and catch an accidental quadratic without timing anything. compressJson keeps one per
 * call and hands the total to the context's probe (see ../probe.ts); it never affects output.
 * @module
 */

export interface WorkMeter {
  steps: number;
}

/** A fresh meter, for a call whose steps nobody reads. */
export function newMeter(): WorkMeter {
  return { steps: 0 };
}
