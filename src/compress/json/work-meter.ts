/**
 * A running count of the compressor's basic steps (values read, nodes rewritten or written,
 * items and cells examined, comparisons made), so tests can check that the work grows in step
 * with the input and catch an accidental quadratic without timing anything. It never affects
 * output.
 * @module
 */

/** The step counter; tests read it before and after a call. */
export const workMeter = { steps: 0 };
