/**
 * The Homebrew formula for a release: one prebuilt archive per macOS and Linux architecture,
 * each pinned by its SHA-256 from the release's SHA256SUMS.
 */

import type { Checksums } from "../build-matrix.ts";

/** Homebrew's platform blocks → our archive target names. */
const PLATFORMS = [
  { os: "on_macos", arch: "on_arm", target: "darwin-arm64" },
  { os: "on_macos", arch: "on_intel", target: "darwin-x64" },
  { os: "on_linux", arch: "on_arm", target: "linux-arm64" },
  { os: "on_linux", arch: "on_intel", target: "linux-x64" },
] as const;

/** Renders the formula for `version` with archives under `releaseUrl`. */
export function homebrewFormula(version: string, releaseUrl: string, sums: Checksums): string {
  const blocks: string[] = [];
  for (const os of ["on_macos", "on_linux"] as const) {
    const arches = PLATFORMS.filter((p) => p.os === os).map((p) => {
      const archive = `headroom-${p.target}.tar.gz`;
      const sha = sums.get(archive);
      if (!sha) throw new Error(`The formula needs ${archive}, which this release did not build`);
      return [
        `    ${p.arch} do`,
        `      url "${releaseUrl}/${archive}"`,
        `      sha256 "${sha}"`,
        "    end",
      ].join("\n");
    });
    blocks.push([`  ${os} do`, ...arches, "  end"].join("\n"));
  }
  return `class Headroom < Formula
  desc "Local proxy that compresses AI coding agents' tool outputs before they reach the LLM"
  homepage "https://github.com/headroom-dev/headroom"
  version "${version}"
  license "Apache-2.0"

${blocks.join("\n\n")}

  def install
    bin.install "headroom"
  end

  test do
    assert_match "headroom #{version}", shell_output("#{bin}/headroom --version")
  end
end
`;
}
