import type { CompressProbe } from "../../src/compress/probe.ts";

/**
 * Collects the errors compressors catch and turn into "no compression" (fail open): pass `probe`
 * in the compression context, then expect `caught` to stay empty.
 */
export class SwallowedErrors {
  readonly caught: { readonly where: string; readonly error: unknown }[] = [];
  readonly probe: CompressProbe = {
    swallowed: (where, error) => {
      this.caught.push({ where, error });
    },
  };

  /** The first error, as "where: stack", for a failure message. */
  describeFirst(): string {
    const first = this.caught[0];
    if (!first) return "";
    const error = first.error as Error | undefined;
    return `${first.where}: ${error?.stack ?? String(error)}`;
  }
}
