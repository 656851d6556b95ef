/**
 * A mistake in how headroom was invoked: the CLI prints its one-line message and exits 2.
 * @module
 */

/** Bad arguments, unknown flags or unusable configuration values. */
export class UsageError extends Error {
  override name = "UsageError";
}
