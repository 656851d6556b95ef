/**
 * Standard output for the subcommands, written to the end before the process exits. Writes to a
 * pipe through process.stdout are asynchronous and Bun reports nothing pending, so exiting right
 * after them cut `headroom compress … | jq` and `headroom retrieve HASH | less` at 64–128 KiB
 * while still exiting 0. Bun.write resolves once every byte is written.
 * @module
 */

/** Writes `text` to standard output whole; a reader that went away (`| head`) ends it quietly. */
export async function writeOut(text: string): Promise<void> {
  try {
    await Bun.write(Bun.stdout, text);
  } catch (error) {
    if ((error as { code?: string })?.code !== "EPIPE") throw error;
  }
}
