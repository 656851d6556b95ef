/**
 * Compiles the headroom executable with `bun build --compile`: one self-contained file, with
 * .env and bunfig.toml autoloading switched off so the proxy never reads a project's secrets.
 */

/** Compiles `src/cli/main.ts` into `outfile` for `target` (this machine when absent). */
export async function compileHeadroom(
  outfile: string,
  target?: Bun.Build.CompileTarget,
): Promise<void> {
  const result = await Bun.build({
    entrypoints: ["./src/cli/main.ts"],
    minify: true,
    sourcemap: "none",
    compile: {
      outfile,
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
      ...(target ? { target } : {}),
    },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`Cannot compile headroom for ${target ?? "this machine"}`);
  }
}
